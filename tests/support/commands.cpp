#include "support/commands.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace binrelay::test {

std::string run_command(const std::string& cmd) {
  char errtmpl[] = "/tmp/binrelay-cmd-err-XXXXXX";
  int fd = mkstemp(errtmpl);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  close(fd);
  std::string full = "(" + cmd + ") 2>" + errtmpl;
  FILE* p = popen(full.c_str(), "r");
  if (!p) throw std::runtime_error("popen failed: " + cmd);
  std::string out;
  char buf[65536];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  std::ifstream errf(errtmpl);
  std::string err((std::istreambuf_iterator<char>(errf)), {});
  unlink(errtmpl);
  if (status != 0) {
    throw std::runtime_error("command failed (" + std::to_string(WEXITSTATUS(status)) +
                             "): " + cmd + "\n" + err);
  }
  return out;
}

std::uint16_t free_port() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(s);
    throw std::runtime_error("bind failed");
  }
  socklen_t len = sizeof addr;
  getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len);
  close(s);
  return ntohs(addr.sin_port);
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::vector<std::vector<std::string>> split_tab_rows(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::string cur;
    for (char c : line) {
      if (c == '\t') {
        fields.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(c);
      }
    }
    fields.push_back(cur);
    out.push_back(std::move(fields));
  }
  return out;
}

void signal_and_reap(pid_t& pid, int signal) {
  if (pid <= 0) return;
  kill(pid, signal);
  int status;
  waitpid(pid, &status, 0);
  pid = -1;
}

}  // namespace binrelay::test
