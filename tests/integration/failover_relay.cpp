#include "integration/failover_relay.h"

#include <fstream>

#include "integration/logged_transactions.h"
#include "integration/mysql_serve_support.h"
#include "support/commands.h"
#include "support/mariadb_server.h"
#include "support/mysql_server.h"

namespace binrelay::test {

namespace {

constexpr const char* admin_password = "Adm1n-s3cret";

}  // namespace

failover_relay::failover_relay(std::vector<std::string> upstreams,
                               std::vector<std::string> extra_args)
    : data_dir_(dir_.path() / "relay"),
      admin_port_(free_port()),
      admin_(admin_port_, "admin", admin_password, [this] { return log(); }) {
  auto password_file = dir_.path() / "admin-password";
  std::ofstream(password_file) << admin_password << "\n";
  auto repl_password_file = dir_.path() / "repl-password";
  std::ofstream(repl_password_file) << mysql_repl_password << "\n";
  args_ = {binrelayd_path().string(),
           "--upstream-user=" + std::string(mysql_server::user),
           "--server-id=4242",
           "--data-dir=" + data_dir_.string(),
           "--listen=127.0.0.1:" + std::to_string(admin_port_),
           "--admin-user=admin",
           "--admin-password-file=" + password_file.string(),
           std::string("--repl-user=") + mysql_repl_user,
           "--repl-password-file=" + repl_password_file.string()};
  for (const auto& u : upstreams) args_.push_back("--upstream=" + u);
  bool heartbeat_given = false;
  for (const auto& a : extra_args) {
    heartbeat_given = heartbeat_given || a.rfind("--heartbeat-period-ms", 0) == 0;
    args_.push_back(a);
  }
  if (!heartbeat_given) args_.push_back("--heartbeat-period-ms=500");
}

void failover_relay::start() {
  process_ = std::make_unique<child_process>(
      args_, dir_.path() / "binrelayd.log",
      std::vector<std::string>{std::string("BINRELAY_UPSTREAM_PASSWORD=") +
                               mysql_server::password});
  if (!admin_.wait_listening())
    throw std::runtime_error("binrelayd's admin port never answered; log:\n" + log());
}

std::vector<std::map<std::string, std::string>> failover_relay::sources() const {
  auto table = split_tab_rows(sql("SHOW REPLICA SOURCES"));
  std::vector<std::map<std::string, std::string>> rows;
  for (std::size_t r = 1; r < table.size(); ++r) {
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < table[0].size() && i < table[r].size(); ++i)
      row[table[0][i]] = table[r][i];
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::string> failover_relay::relay_gtids() const {
  std::vector<std::string> out;
  for (const auto& t : read_transactions(relay_files(data_dir_))) out.push_back(t.gtid);
  return out;
}

}  // namespace binrelay::test
