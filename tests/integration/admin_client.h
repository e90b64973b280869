#pragma once
// admin_client: binrelayd's admin port (--listen, --admin-user) through the real `mariadb`
// command-line client, for integration tests.

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace binrelay::test {

class admin_client {
 public:
  // `daemon_log` returns binrelayd's log, appended to failure messages. `client_options` are
  // more mariadb client options (e.g. "--ssl --ssl-ca=ca.pem").
  admin_client(std::uint16_t port, std::string user, std::string password,
               std::function<std::string()> daemon_log, std::string client_options = "");

  // Output of the mariadb client running `statements` (one session); throws (with its stderr
  // and binrelayd's log) on a non-zero exit.
  std::string sql(const std::string& statements) const;
  std::string sql(const std::string& statements, const std::string& password) const;
  // SHOW SLAVE STATUS\G as column -> value.
  std::map<std::string, std::string> slave_status() const;
  // Waits until the admin port answers; false after 60 s.
  bool wait_listening() const;

 private:
  std::uint16_t port_;
  std::string user_;
  std::string password_;
  std::function<std::string()> daemon_log_;
  std::string client_options_;
};

}  // namespace binrelay::test
