#pragma once
// The applier's integration set-up: a MariaDB primary, binrelayd following it and applying to
// a MariaDB downstream (--apply-to), and what the tests compare on both sides.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

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

// Waits until the downstream caught up, then checks that the applier never stopped, that
// `rows_sql` reads the same on both sides and that the GTIDs are the primary's in its order.
void check_converged(apply_setup& s, const std::string& rows_sql);

// CHECKSUM TABLE of sbtest.sbtest1..N.
std::string checksums(const mariadb_server& s, int tables);
// GTIDs of server 1 (the primary) in binlog order.
std::vector<std::string> binlog_gtids(const mariadb_server& s);
// sysbench `test` against the primary, 8 threads, 4 tables of 2000 rows, for `seconds`.
std::unique_ptr<child_process> start_load(const apply_setup& s, int seconds,
                                          const std::string& test = "oltp_write_only");

}  // namespace binrelay::test
