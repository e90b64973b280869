#pragma once
// The applier into MySQL: a real MySQL 9.7 primary, binrelayd following it and applying to a
// real MySQL 9.7 downstream (--apply-to), and what the tests compare on both sides.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "support/mysql_server.h"
#include "support/processes.h"

namespace binrelay::test {

class mysql_apply_setup {
 public:
  // The primary starts with empty binlogs and GTIDs (RESET BINARY LOGS AND GTIDS), so the
  // downstream gets only what a test writes. binrelayd: `workers` applier workers logging in
  // as the downstream's `apply_user` (password mysql_server::password), and `extra` flags;
  // not started. The downstream gets `downstream_args` beyond the usual mysqld arguments.
  explicit mysql_apply_setup(int workers = 4, std::vector<std::string> extra = {},
                             mysql_options primary_options = {},
                             std::string apply_user = mysql_server::user,
                             std::vector<std::string> downstream_args = {});

  mysql_server primary;
  mysql_server downstream;
  temp_dir scratch;

  // Starts binrelayd (its log file is appended to). REQUIRES: not running.
  void start();
  void kill9() { daemon_->kill9(); }
  int terminate() { return daemon_->terminate(); }
  std::string log() const { return daemon_ ? daemon_->log() : std::string(); }

  // Waits until the downstream's gtid_executed holds the primary's.
  bool wait_applied(std::chrono::seconds timeout = std::chrono::seconds(120));
  // The primary's GTIDs in the order of its binlog, and the downstream's GTIDs of the
  // primary's server_uuid in the order of the downstream's binlog.
  std::vector<std::string> primary_gtids() const;
  std::vector<std::string> downstream_gtids() const;

 private:
  std::vector<std::string> args_;
  std::unique_ptr<child_process> daemon_;
};

// CHECKSUM TABLE of `tables` ("db.t1,db.t2").
std::string mysql_checksums(const mysql_server& s, const std::string& tables);

// Waits until the downstream caught up, then checks that the applier never stopped, that
// `tables` have the primary's checksums and that the downstream logged the primary's GTIDs in
// the primary's order.
void check_mysql_converged(mysql_apply_setup& s, const std::string& tables);

}  // namespace binrelay::test
