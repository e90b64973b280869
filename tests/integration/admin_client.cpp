#include "integration/admin_client.h"

#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/mariadb_server.h"

namespace binrelay::test {

admin_client::admin_client(std::uint16_t port, std::string user, std::string password,
                           std::function<std::string()> daemon_log, std::string client_options)
    : port_(port),
      user_(std::move(user)),
      password_(std::move(password)),
      daemon_log_(std::move(daemon_log)),
      client_options_(std::move(client_options)) {}

std::string admin_client::sql(const std::string& statements) const {
  return sql(statements, password_);
}

std::string admin_client::sql(const std::string& statements, const std::string& password) const {
  try {
    return run_command("mariadb --no-defaults --connect-timeout=5 -h127.0.0.1 -P" +
                       std::to_string(port_) + " -u" + user_ + " -p'" + password + "' " +
                       client_options_ + " -e \"" + statements + "\"");
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(e.what()) + "\nbinrelayd log:\n" + daemon_log_());
  }
}

std::map<std::string, std::string> admin_client::slave_status() const {
  std::map<std::string, std::string> m;
  std::istringstream in(sql("SHOW SLAVE STATUS\\G"));
  for (std::string line; std::getline(in, line);) {
    auto colon = line.find(": ");
    if (colon == std::string::npos || line.rfind("****", 0) == 0) continue;
    auto start = line.find_first_not_of(' ');
    m[line.substr(start, colon - start)] = line.substr(colon + 2);
  }
  return m;
}

bool admin_client::wait_listening() const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      sql("SELECT 1");
      return true;
    } catch (const std::exception&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  return false;
}

}  // namespace binrelay::test
