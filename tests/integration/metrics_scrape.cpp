#include "integration/metrics_scrape.h"

#include <sstream>
#include <stdexcept>

#include "support/mariadb_server.h"

namespace binrelay::test {

std::string http_get(std::uint16_t port, const std::string& path) {
  return run_command("curl -sS --fail --max-time 10 http://127.0.0.1:" + std::to_string(port) +
                     path);
}

int http_status(std::uint16_t port, const std::string& path) {
  return std::stoi(
      run_command("curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "
                  "http://127.0.0.1:" +
                  std::to_string(port) + path));
}

std::optional<double> sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#' || line.rfind(series, 0) != 0) continue;
    char next = line.size() > series.size() ? line[series.size()] : '\0';
    bool bare_name = series.find('{') == std::string::npos;
    if (bare_name && next != ' ' && next != '{') continue;  // a longer name
    auto space = line.rfind(' ');
    return std::stod(line.substr(space + 1));
  }
  return std::nullopt;
}

}  // namespace binrelay::test
