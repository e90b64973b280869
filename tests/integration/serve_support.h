#pragma once
// Helpers for serving tests: binrelayd's serving flags and real MariaDB replicas following it.

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "integration/relay_harness.h"
#include "support/mariadb_server.h"

namespace binrelay::test {

inline constexpr const char* repl_user = "repl";
inline constexpr const char* repl_password = "repl-Pw-1";

// --listen, --repl-user and --repl-password-file (written into `dir`).
std::vector<std::string> serving_args(std::uint16_t port, const std::filesystem::path& dir);

// binrelayd following `primary` and serving on a free port (started at construction), with
// `rows` rows written by write_rows() and stored before the constructor returns.
struct serving_relay {
  serving_relay(const mariadb_server& primary, std::vector<std::string> extra_args, int rows);
  temp_dir scratch;
  std::uint16_t port;
  relay_harness relay;
};

// CHANGE MASTER TO binrelayd at `port` with MASTER_USE_GTID=slave_pos and `extra` options
// (", MASTER_HEARTBEAT_PERIOD=0.2"); START SLAVE.
void follow_relay(const mariadb_server& replica, std::uint16_t port, const std::string& extra = "");

// A field of SHOW SLAVE STATUS ("" when there is no replication configured).
std::string slave_status(const mariadb_server& replica, const std::string& field);

// Waits until the replica's gtid_slave_pos equals `gtid_pos`. False on timeout.
bool wait_replica_at(const mariadb_server& replica, const std::string& gtid_pos,
                     std::chrono::seconds timeout = std::chrono::seconds(90));

// Waits until Last_IO_Error contains `text`; returns the last Last_IO_Error seen.
std::string wait_io_error(const mariadb_server& replica, const std::string& text,
                          std::chrono::seconds timeout = std::chrono::seconds(30));

// CHECKSUM TABLE of every base table of `database`, by table name.
std::map<std::string, std::string> table_checksums(const mariadb_server& server,
                                                   const std::string& database);

// A whole file's bytes ("" when it cannot be read).
std::string file_text(const std::filesystem::path& p);
// A binlog file's bytes with its FDE's LOG_EVENT_BINLOG_IN_USE_F cleared (the one byte in which
// a live relay log file and a fetched copy of it may differ).
std::string without_in_use_flag(std::string bytes);

// Everything a replica test may want to see when it fails.
std::string replica_report(const mariadb_server& replica);

}  // namespace binrelay::test
