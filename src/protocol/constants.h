#pragma once
// Numeric constants of the MySQL/MariaDB client/server protocol: capability flags, server status
// flags, command bytes and packet header bytes. Format notes: docs/protocol.md.

#include <cstddef>
#include <cstdint>

namespace binrelay::protocol {

// Largest payload of one wire frame; a frame of exactly this size is followed by another.
inline constexpr std::size_t max_frame_payload = 0xFFFFFF;
inline constexpr std::size_t frame_header_size = 4;
inline constexpr std::size_t scramble_size = 20;

// Capability flags (low 32 bits: MySQL; bits 32..63: MariaDB extended capabilities, exchanged
// in the filler of the greeting and of the handshake response).
namespace cap {
inline constexpr std::uint64_t long_password = 1u << 0;  // MariaDB calls this CLIENT_MYSQL
inline constexpr std::uint64_t found_rows = 1u << 1;
inline constexpr std::uint64_t long_flag = 1u << 2;
inline constexpr std::uint64_t connect_with_db = 1u << 3;
inline constexpr std::uint64_t compress = 1u << 5;
inline constexpr std::uint64_t local_files = 1u << 7;
inline constexpr std::uint64_t protocol_41 = 1u << 9;
inline constexpr std::uint64_t ssl = 1u << 11;
inline constexpr std::uint64_t transactions = 1u << 13;
inline constexpr std::uint64_t secure_connection = 1u << 15;
inline constexpr std::uint64_t multi_statements = 1u << 16;
inline constexpr std::uint64_t multi_results = 1u << 17;
inline constexpr std::uint64_t plugin_auth = 1u << 19;
inline constexpr std::uint64_t connect_attrs = 1u << 20;
inline constexpr std::uint64_t plugin_auth_lenenc_client_data = 1u << 21;
inline constexpr std::uint64_t session_track = 1u << 23;
inline constexpr std::uint64_t deprecate_eof = 1u << 24;
inline constexpr std::uint64_t mariadb_progress = 1ull << 32;
inline constexpr std::uint64_t mariadb_com_multi = 1ull << 33;
inline constexpr std::uint64_t mariadb_stmt_bulk = 1ull << 34;
inline constexpr std::uint64_t mariadb_extended_metadata = 1ull << 35;
inline constexpr std::uint64_t mariadb_cache_metadata = 1ull << 36;
}  // namespace cap

// Server status flags (OK and EOF packets).
namespace status {
inline constexpr std::uint16_t in_trans = 0x0001;
inline constexpr std::uint16_t autocommit = 0x0002;
inline constexpr std::uint16_t more_results_exist = 0x0008;
}  // namespace status

// First byte of a command packet.
enum class command : std::uint8_t {
  quit = 0x01,
  init_db = 0x02,
  query = 0x03,
  ping = 0x0E,
  binlog_dump = 0x12,
  register_slave = 0x15,
  binlog_dump_gtid = 0x1E,
};

// First byte of a response packet.
inline constexpr std::uint8_t ok_header = 0x00;
inline constexpr std::uint8_t eof_header = 0xFE;
inline constexpr std::uint8_t err_header = 0xFF;
inline constexpr std::uint8_t auth_more_data_header = 0x01;
inline constexpr std::uint8_t auth_switch_header = 0xFE;
inline constexpr std::uint8_t semi_sync_indicator = 0xEF;

// utf8mb4_general_ci: understood by MySQL 5.5.3+ and every MariaDB.
inline constexpr std::uint8_t default_charset = 45;

}  // namespace binrelay::protocol
