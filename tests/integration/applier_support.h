#pragma once
// The applier's integration set-up: a MariaDB primary, binrelayd following it and applying to
// a MariaDB downstream (--apply-to), and what the tests compare on both sides.

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "integration/admin_client.h"
#include "integration/relay_harness.h"
#include "support/mariadb_server.h"
#include "support/processes.h"

namespace binrelay::test {

struct apply_setup {
  mariadb_server primary{mariadb_options{1, true, {}}};
  mariadb_server downstream{mariadb_options{2, true, {}}};
  temp_dir scratch;
  std::unique_ptr<relay_harness> relay;

  // binrelayd with `workers` applier workers, a config file (scratch/binrelayd.ini, empty) and
  // `extra` flags; not started.
  explicit apply_setup(int workers = 4, std::vector<std::string> extra = {});
  // Waits until the downstream's GTID position equals the primary's.
  bool wait_applied(std::chrono::seconds timeout = std::chrono::seconds(120));
};

// binrelayd flags for an admin port on `port` (user "admin", admin_password), the password
// file written in `secrets`.
inline constexpr const char* admin_password = "Adm1n-pw";
std::vector<std::string> admin_flags(const temp_dir& secrets, std::uint16_t port);

// An apply_setup whose binrelayd also serves an admin port (user "admin"), with a client of it.
struct admin_apply {
  temp_dir secrets;
  std::uint16_t port = free_port();
  apply_setup s;
  admin_client admin;

  // `extra`: more binrelayd flags.
  explicit admin_apply(int workers, const std::vector<std::string>& extra = {});
  // Creates t.a (id INT PRIMARY KEY, v INT) holding `rows` ("SELECT ..." or "VALUES ..."),
  // starts binrelayd and waits until the downstream has it.
  void start_with_table(const std::string& rows);
  // SHOW SLAVE STATUS once Slave_SQL_Running is `running` (the last reading after 60 s).
  std::map<std::string, std::string> wait_sql_running(const std::string& running) const;
};

// The progress the applier recorded on the downstream: the greatest position of all rows.
struct progress_mark {
  std::string file_number, relay_file, end_offset;
};
progress_mark recorded_progress(const mariadb_server& downstream);
// Sets every progress row past `m` back to `m`: what a crash before they were written leaves.
void rewind_progress(const mariadb_server& downstream, const progress_mark& m);

// Waits until the downstream caught up, then checks that the applier never stopped, that
// `rows_sql` reads the same on both sides and that the GTIDs are the primary's in its order.
void check_converged(apply_setup& s, const std::string& rows_sql);
// Waits (up to 180 s) until the downstream has the primary's GTID position, then checks that
// sbtest1..`tables` have the primary's checksums and the GTIDs are the primary's in its order.
void check_sysbench_converged(apply_setup& s, int tables);

// CHECKSUM TABLE of sbtest.sbtest1..N.
std::string checksums(const mariadb_server& s, int tables);
// GTIDs of server 1 (the primary) in binlog order.
std::vector<std::string> binlog_gtids(const mariadb_server& s);
// sysbench `test` against the primary, 8 threads, on `tables` tables of `rows` rows (as
// prepared), for `seconds`.
std::unique_ptr<child_process> start_load(const apply_setup& s, int seconds,
                                          const std::string& test = "oltp_write_only",
                                          int tables = 4, int rows = 2000);

}  // namespace binrelay::test
