#pragma once
// The upstream side of a fake replica: after authentication it sends exactly what a real
// replica of the source's flavour sends (docs/protocol.md, "Replica connect sequence";
// reference §3 for MySQL 8.0.26+, §6 for MariaDB), registers, requests the binlog dump, and
// then yields the raw binlog events of the stream.
//
// Reconnecting and backing off are the caller's business (the relay module): every failure is
// returned as a typed error and the client must then be discarded.
//
// Threading: as `connection` — one coroutine at a time, on the executor given.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/binlog_stream.h"
#include "protocol/connection.h"

namespace binrelay::protocol {

enum class server_flavour { mysql, mariadb };
enum class binlog_checksum { none, crc32 };

struct replication_options {
  connection_options connection;
  std::uint32_t server_id = 0;  // ours; REQUIRES != 0 and != the source's
  // Heartbeat period asked of the source; zero disables heartbeats (and the read timeout).
  std::chrono::milliseconds heartbeat_period{1000};
  // Reads time out after 2 × heartbeat_period + this slack (a dead source).
  std::chrono::milliseconds heartbeat_slack{2000};
  std::uint16_t dump_flags = 0;  // dump_flag::*; non_block ends the stream with EOF
  // Reported by COM_REGISTER_SLAVE.
  std::string report_host;
  std::uint16_t report_port = 0;

  // MySQL: our uuid (SET @replica_uuid) and the encoded GTID set to exclude.
  std::string replica_uuid;
  std::vector<std::uint8_t> mysql_gtid_set;

  // MariaDB: the GTID position to start after ("0-1-100,1-2-5").
  std::string mariadb_connect_state;

  // A file/position dump instead: COM_BINLOG_DUMP from dump_file at dump_position, for either
  // flavour (as mariadb-binlog --read-from-remote-server does). MariaDB's
  // @slave_connect_state is then not set, and a MySQL source's GTID_MODE may be off.
  std::string dump_file;
  std::uint32_t dump_position = 4;
  bool mariadb_gtid_strict_mode = false;
  bool mariadb_gtid_ignore_duplicates = false;

  // Declare ourselves a semi-synchronous replica (docs/failover.md, "Semi-synchronous
  // replication") when the source has semi-sync: MySQL's rpl_semi_sync_source_enabled (or
  // the older _master_) exists, i.e. its plugin is installed; MariaDB's built-in
  // rpl_semi_sync_master_enabled. The stream then carries the 0xEF header and the caller
  // answers events that ask for it with send_semi_sync_ack().
  bool semi_sync = false;
};

// What the connect sequence learnt about the source.
struct replication_session_info {
  server_flavour flavour = server_flavour::mysql;
  std::string server_version;  // as displayed, without MariaDB's "5.5.5-" prefix
  std::uint32_t source_server_id = 0;
  std::string source_uuid;                      // MySQL only
  std::optional<std::uint32_t> gtid_domain_id;  // MariaDB only
  binlog_checksum checksum = binlog_checksum::none;
  // source clock minus ours at connect, in seconds (for Seconds_Behind_Source).
  std::int64_t clock_diff_s = 0;
  std::string server_name;  // "host:port"
  // We declared ourselves a semi-sync replica: every event packet carries the 0xEF header.
  // False when not asked for or the source has no semi-sync (its plugin not installed).
  bool semi_sync = false;
};

struct binlog_stream_event {
  std::vector<std::uint8_t> bytes;  // one whole binlog event, checksum included
  bool semi_sync_ack_requested = false;
};

class replication_client {
 public:
  explicit replication_client(boost::asio::any_io_executor executor) : connection_(executor) {}

  // Connects, authenticates, runs the flavour's connect sequence, registers and sends the dump
  // command. Fails with errc::invalid_argument when the source is unfit (same server_id or
  // uuid, GTID_MODE not ON, no MariaDB GTID support).
  boost::asio::awaitable<result<replication_session_info>> start(replication_options options);

  // The next event; std::nullopt when the source ended the stream (EOF, non-blocking dump).
  // ERR from the source -> errc::server_error with its errno (1236: cannot serve the position).
  // No packet within the heartbeat-derived timeout -> errc::timed_out.
  boost::asio::awaitable<result<std::optional<binlog_stream_event>>> read_event();
  // As read_event(), without copying: `bytes` views the connection's buffer and lives until
  // the next read on this client.
  boost::asio::awaitable<result<std::optional<stream_packet>>> read_event_view();
  // Waits for the next event, then hands it and every further event already buffered to
  // `on_event` as a stream_packet (its view valid during the call only), without a coroutine
  // frame per event.
  // Returns how many; 0: the source ended the stream. Errors as read_event().
  template <typename F>
  boost::asio::awaitable<result<std::size_t>> read_event_views(F&& on_event);

  // Acknowledges, as a semi-sync replica, every source transaction up to (`file`,
  // `position`): the packet `0xEF | position u64 | file`, a new sequence from 0 (the source
  // restarts its own after an event that asked for an ACK). REQUIRES: info().semi_sync.
  boost::asio::awaitable<result<void>> send_semi_sync_ack(std::string_view file,
                                                          std::uint64_t position);

  const replication_session_info& info() const { return info_; }
  // True when more stream bytes are already buffered (used to group events into one write).
  bool event_buffered() const { return connection_.buffered_bytes() > 0; }
  connection& raw_connection() { return connection_; }

 private:
  boost::asio::awaitable<result<void>> mysql_sequence(const replication_options& options);
  boost::asio::awaitable<result<void>> mariadb_sequence(const replication_options& options);
  boost::asio::awaitable<result<void>> common_prelude(const replication_options& options);
  boost::asio::awaitable<result<void>> register_and_dump(const replication_options& options);
  boost::asio::awaitable<result<query_result>> run(std::string sql);
  boost::asio::awaitable<result<std::string>> scalar(std::string sql, std::size_t column = 0);
  boost::asio::awaitable<result<void>> expect_ok();
  // Step 9 of the connect sequence: asks for semi-sync when the source has it.
  boost::asio::awaitable<result<void>> declare_semi_sync();
  // How stream packets' sequence ids are checked: semi-sync sources restart them at 0.
  sequence_check stream_check() const {
    return info_.semi_sync ? sequence_check::adopt : sequence_check::strict;
  }

  // The stream packet in `payload`; errors close the connection unless the source sent ERR.
  result<stream_packet> parse_event(bytes_view payload);

  connection connection_;
  replication_session_info info_;
  bool stream_ended_ = false;  // read_event_views consumed the EOF
};

template <typename F>
boost::asio::awaitable<result<std::size_t>> replication_client::read_event_views(F&& on_event) {
  if (stream_ended_) co_return std::size_t(0);
  auto first = co_await read_event_view();
  if (!first) co_return first.error();
  if (!*first) co_return std::size_t(0);
  on_event(**first);
  std::size_t n = 1;
  for (;;) {
    auto payload = connection_.buffered_packet_view(stream_check());
    if (!payload) co_return payload.error();
    if (!*payload) co_return n;
    auto packet = parse_event(**payload);
    if (!packet) co_return packet.error();
    if (packet->what == stream_packet::kind::end) {
      stream_ended_ = true;  // the next call returns 0
      co_return n;
    }
    on_event(*packet);
    ++n;
  }
}

}  // namespace binrelay::protocol
