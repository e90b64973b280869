#pragma once
// The commands a replica sends to start replication (docs/protocol.md, "Replication"):
//   COM_REGISTER_SLAVE    0x15 | server_id u32 | host lenenc | user lenenc | password lenenc |
//                         port u16 | rpl_recovery_rank u32 | master_id u32
//   COM_BINLOG_DUMP       0x12 | pos u32 | flags u16 | server_id u32 | file name (rest)
//   COM_BINLOG_DUMP_GTID  0x1E | flags u16 | server_id u32 | name_len u32 | name |
//                         pos u64 | data_size u32 | data   (data: the encoded GTID set)
// Sans-I/O; the GTID set is opaque bytes here (its codec lives in the gtid module).

#include <cstdint>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace binrelay::protocol {

// Dump flags.
namespace dump_flag {
inline constexpr std::uint16_t non_block = 0x01;  // EOF at the end instead of waiting
// MySQL 8.0.26+: heartbeats as HEARTBEAT_LOG_EVENT_V2 (41). MariaDB: send ANNOTATE_ROWS.
inline constexpr std::uint16_t heartbeat_v2 = 0x02;
inline constexpr std::uint16_t mariadb_send_annotate_rows = 0x02;
inline constexpr std::uint16_t through_gtid = 0x04;
}  // namespace dump_flag

struct register_slave {
  std::uint32_t server_id = 0;
  std::string host;
  std::string user;
  std::string password;
  std::uint16_t port = 0;
  std::uint32_t recovery_rank = 0;
  std::uint32_t master_id = 0;
  bool operator==(const register_slave&) const = default;
};

struct binlog_dump {
  std::uint32_t position = 4;
  std::uint16_t flags = 0;
  std::uint32_t server_id = 0;
  std::string file_name;
  bool operator==(const binlog_dump&) const = default;
};

struct binlog_dump_gtid {
  std::uint16_t flags = 0;
  std::uint32_t server_id = 0;
  std::string file_name;
  std::uint64_t position = 4;
  std::vector<std::uint8_t> gtid_set;  // encoded set, sent as is
  bool operator==(const binlog_dump_gtid&) const = default;
};

std::vector<std::uint8_t> build_register_slave(const register_slave& command);
result<register_slave> parse_register_slave(bytes_view payload);

std::vector<std::uint8_t> build_binlog_dump(const binlog_dump& command);
result<binlog_dump> parse_binlog_dump(bytes_view payload);

std::vector<std::uint8_t> build_binlog_dump_gtid(const binlog_dump_gtid& command);
result<binlog_dump_gtid> parse_binlog_dump_gtid(bytes_view payload);

}  // namespace binrelay::protocol
