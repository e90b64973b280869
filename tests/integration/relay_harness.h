#pragma once
// Runs binrelayd against a real MariaDB primary for integration tests.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "integration/logged_transactions.h"
#include "support/mariadb_server.h"
#include "support/processes.h"

namespace binrelay::test {

class relay_harness {
 public:
  explicit relay_harness(const mariadb_server& primary, std::vector<std::string> extra_args = {});

  // Starts binrelayd (appending to its log file). REQUIRES: not running.
  void start(const std::string& password = mariadb_server::password);
  void kill9() { process_->kill9(); }
  int terminate() { return process_->terminate(); }
  child_process& process() { return *process_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::string log() const { return process_ ? process_->log() : std::string(); }

  // Waits until the relay log holds the primary's last GTID; false on timeout.
  bool wait_caught_up(std::chrono::seconds timeout = std::chrono::seconds(60));
  // First difference between the primary's binlog and the relay log ("" when equal).
  std::string compare_with_primary() const;

 private:
  const mariadb_server& primary_;
  std::vector<std::string> extra_args_;
  temp_dir dir_;
  std::filesystem::path data_dir_;
  std::filesystem::path log_file_;
  std::unique_ptr<child_process> process_;
};

// sysbench's tables on the primary: CREATE DATABASE sbtest + prepare.
void prepare_sysbench(const mariadb_server& primary, int tables, int table_size);
// Inserts rows [from, to) into t.a (created if missing), one transaction per row.
void write_rows(const mariadb_server& primary, int from, int to);
// FLUSH BINARY LOGS, then purges every binlog before the new one (MariaDB keeps a binlog until
// its binlog checkpoint has passed it, so this retries for up to 10 s). True when one is left.
bool purge_all_but_current(const mariadb_server& primary);
// sysbench oltp_write_only run with 8 threads on 4 tables of 2000 rows for `seconds`, logging
// into `dir`.
std::unique_ptr<child_process> start_load(const mariadb_server& primary, const temp_dir& dir,
                                          int seconds);

}  // namespace binrelay::test
