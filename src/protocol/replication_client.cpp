#include "protocol/replication_client.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <ctime>

#include "protocol/binlog_stream.h"
#include "protocol/replication_commands.h"
#include "protocol/response_packets.h"

namespace binrelay::protocol {

namespace asio = boost::asio;
using asio::awaitable;

namespace {

// ER_UNKNOWN_SYSTEM_VARIABLE
constexpr std::uint16_t er_unknown_system_variable = 1193;

bool only_chars(std::string_view s, std::string_view allowed) {
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) || allowed.find(c) != allowed.npos;
  });
}

std::uint64_t nanoseconds(std::chrono::milliseconds d) {
  return std::uint64_t(d.count()) * 1'000'000;
}

result<std::uint32_t> to_u32(const std::string& text, std::string_view what) {
  try {
    std::size_t used = 0;
    unsigned long v = std::stoul(text, &used);
    if (used == text.size() && v <= 0xFFFFFFFFul) return std::uint32_t(v);
  } catch (const std::exception&) {
  }
  return make_error(errc::protocol_error, "{} is not a number: '{}'", what, text);
}

}  // namespace

awaitable<result<replication_session_info>> replication_client::start(replication_options options) {
  if (options.server_id == 0) {
    co_return make_error(errc::invalid_argument, "a replica needs a non-zero server_id");
  }
  if (!only_chars(options.mariadb_connect_state, ",- ") || !only_chars(options.replica_uuid, "-")) {
    co_return make_error(errc::invalid_argument, "malformed GTID position or uuid: '{}' / '{}'",
                         options.mariadb_connect_state, options.replica_uuid);
  }
  if (auto r = co_await connection_.connect_and_authenticate(options.connection); !r)
    co_return r.error();
  const handshake_v10& greeting = connection_.greeting();
  info_ = {};
  info_.flavour = greeting.is_mariadb() ? server_flavour::mariadb : server_flavour::mysql;
  info_.server_version = std::string(display_version(greeting.server_version));
  info_.server_name = connection_.server_name();
  result<void> sequence;
  if (info_.flavour == server_flavour::mariadb) {
    sequence = co_await mariadb_sequence(options);
  } else {
    sequence = co_await mysql_sequence(options);
  }
  if (!sequence) co_return sequence.error();
  if (options.semi_sync && options.dump_file.empty()) {
    if (auto r = co_await declare_semi_sync(); !r) co_return r.error();
  }
  if (auto r = co_await register_and_dump(options); !r) co_return r.error();
  auto timeout = options.heartbeat_period.count() > 0
                     ? 2 * options.heartbeat_period + options.heartbeat_slack
                     : std::chrono::milliseconds(std::chrono::hours(24 * 365));
  connection_.set_read_timeout(timeout);
  co_return info_;
}

awaitable<result<query_result>> replication_client::run(std::string sql) {
  auto answer = co_await connection_.query(sql);
  if (!answer) {
    binrelay::error e = std::move(answer).error();
    e.message += fmt::format(" (replica connect sequence: `{}`)", sql);
    co_return e;
  }
  co_return answer;
}

awaitable<result<std::string>> replication_client::scalar(std::string sql, std::size_t column) {
  auto answer = co_await run(sql);
  if (!answer) co_return answer.error();
  if (answer->rows.empty() || answer->rows[0].size() <= column || !answer->rows[0][column]) {
    co_return make_error(errc::protocol_error, "source {} returned no value for `{}`",
                         info_.server_name, sql);
  }
  co_return *answer->rows[0][column];
}

// Steps 1-2 of both flavours: the clock and the source's server_id.
awaitable<result<void>> replication_client::common_prelude(const replication_options& options) {
  auto now = co_await scalar("SELECT UNIX_TIMESTAMP()");
  if (now) {
    info_.clock_diff_s = std::atoll(now->c_str()) - std::int64_t(std::time(nullptr));
  } else if (now.error().code != errc::server_error) {
    co_return now.error();  // a real replica tolerates only an SQL error here
  }
  // (No co_await inside ?: — GCC 12 destroys such temporaries twice.)
  result<std::string> id = make_error(errc::corrupt, "unset");
  if (info_.flavour == server_flavour::mariadb) {
    id = co_await scalar("SHOW VARIABLES LIKE 'SERVER_ID'", 1);
  } else {
    id = co_await scalar("SELECT @@GLOBAL.SERVER_ID");
  }
  if (!id) co_return id.error();
  auto source_id = to_u32(*id, "source server_id");
  if (!source_id) co_return source_id.error();
  info_.source_server_id = *source_id;
  if (info_.source_server_id == options.server_id) {
    co_return make_error(errc::invalid_argument,
                         "source {} has server_id {}, the same as ours; give this replica a "
                         "different server_id",
                         info_.server_name, options.server_id);
  }
  co_return result<void>();
}

awaitable<result<void>> replication_client::mysql_sequence(const replication_options& options) {
  if (auto r = co_await common_prelude(options); !r) co_return r.error();
  if (options.heartbeat_period.count() > 0) {
    auto ns = nanoseconds(options.heartbeat_period);
    auto r = co_await run(
        fmt::format("SET @master_heartbeat_period = {}, @source_heartbeat_period = {}", ns, ns));
    if (!r) co_return r.error();
  }
  auto set = co_await run(
      "SET @master_binlog_checksum = @@global.binlog_checksum, "
      "@source_binlog_checksum = @@global.binlog_checksum");
  if (!set && set.error().server_errno != er_unknown_system_variable) co_return set.error();
  if (set) {
    auto alg = co_await scalar("SELECT @source_binlog_checksum");
    if (!alg) co_return alg.error();
    if (*alg != "CRC32" && *alg != "NONE") {
      co_return make_error(errc::unsupported, "source {} uses binlog checksum '{}'",
                           info_.server_name, *alg);
    }
    info_.checksum = *alg == "CRC32" ? binlog_checksum::crc32 : binlog_checksum::none;
  }
  auto mode = co_await scalar("SELECT @@GLOBAL.GTID_MODE");
  if (!mode) co_return mode.error();
  if (*mode != "ON" && options.dump_file.empty()) {
    co_return make_error(errc::invalid_argument,
                         "source {} has GTID_MODE={}; GTID replication needs GTID_MODE=ON",
                         info_.server_name, *mode);
  }
  auto uuid = co_await scalar("SELECT @@GLOBAL.SERVER_UUID");
  if (!uuid) co_return uuid.error();
  info_.source_uuid = *uuid;
  if (!options.replica_uuid.empty() && info_.source_uuid == options.replica_uuid) {
    co_return make_error(errc::invalid_argument, "source {} has server_uuid {}, the same as ours",
                         info_.server_name, info_.source_uuid);
  }
  if (!options.replica_uuid.empty()) {
    auto r = co_await run(
        fmt::format("SET @slave_uuid = '{0}', @replica_uuid = '{0}'", options.replica_uuid));
    if (!r) co_return r.error();
  }
  co_return result<void>();
}

awaitable<result<void>> replication_client::mariadb_sequence(const replication_options& options) {
  if (auto r = co_await common_prelude(options); !r) co_return r.error();
  std::vector<std::string> sets;
  if (options.heartbeat_period.count() > 0) {
    sets.push_back(
        fmt::format("SET @master_heartbeat_period= {}", nanoseconds(options.heartbeat_period)));
  }
  sets.push_back("SET @master_binlog_checksum= @@global.binlog_checksum");
  for (const auto& sql : sets) {
    if (auto r = co_await run(sql); !r) co_return r.error();
  }
  auto alg = co_await scalar("SELECT @master_binlog_checksum");
  if (!alg) co_return alg.error();
  if (*alg != "CRC32" && *alg != "NONE") {
    co_return make_error(errc::unsupported, "source {} uses binlog checksum '{}'",
                         info_.server_name, *alg);
  }
  info_.checksum = *alg == "CRC32" ? binlog_checksum::crc32 : binlog_checksum::none;
  if (auto r = co_await run("SET @mariadb_slave_capability=4"); !r) co_return r.error();
  auto domain = co_await scalar("SELECT @@GLOBAL.gtid_domain_id");
  if (!domain) {
    binrelay::error e = std::move(domain).error();
    e.message = fmt::format("source {} does not support MariaDB global transaction id: {}",
                            info_.server_name, e.message);
    co_return e;
  }
  auto domain_id = to_u32(*domain, "gtid_domain_id");
  if (!domain_id) co_return domain_id.error();
  info_.gtid_domain_id = *domain_id;
  if (!options.dump_file.empty()) co_return result<void>();  // a file/position dump
  const std::string after[] = {
      fmt::format("SET @slave_connect_state='{}'", options.mariadb_connect_state),
      fmt::format("SET @slave_gtid_strict_mode={}", options.mariadb_gtid_strict_mode ? 1 : 0),
      fmt::format("SET @slave_gtid_ignore_duplicates={}",
                  options.mariadb_gtid_ignore_duplicates ? 1 : 0),
  };
  for (const auto& sql : after) {
    if (auto r = co_await run(sql); !r) co_return r.error();
  }
  co_return result<void>();
}

// What a MySQL (plugin/semisync) or MariaDB replica does before its dump: the source has
// semi-sync when its enabled-variable exists; the user variables its dump thread reads then
// make it add the 0xEF header to every event packet (even while its semi-sync is off).
awaitable<result<void>> replication_client::declare_semi_sync() {
  std::string declare;
  if (info_.flavour == server_flavour::mariadb) {
    auto r = co_await run("SHOW VARIABLES LIKE 'rpl_semi_sync_master_enabled'");
    if (!r) co_return r.error();
    if (!r->rows.empty()) declare = "SET @rpl_semi_sync_slave = 1";
  } else {
    for (const char* name : {"rpl_semi_sync_source_enabled", "rpl_semi_sync_master_enabled"}) {
      auto r = co_await connection_.query(fmt::format("SELECT @@global.{}", name));
      if (r) {
        declare = "SET @rpl_semi_sync_replica = 1, @rpl_semi_sync_slave = 1";
        break;
      }
      if (r.error().server_errno != er_unknown_system_variable) co_return r.error();
    }
  }
  if (declare.empty()) co_return result<void>();  // no semi-sync on the source: asynchronous
  if (auto r = co_await run(declare); !r) co_return r.error();
  info_.semi_sync = true;
  co_return result<void>();
}

awaitable<result<void>> replication_client::send_semi_sync_ack(std::string_view file,
                                                               std::uint64_t position) {
  assert(info_.semi_sync);
  auto ack = build_semi_sync_ack({position, std::string(file)});
  co_return co_await connection_.write_command(ack);
}

awaitable<result<void>> replication_client::expect_ok() {
  auto packet = co_await connection_.read_packet();
  if (!packet) co_return packet.error();
  if (is_err_packet(*packet)) {
    auto err = parse_err_packet(*packet);
    if (!err) co_return err.error();
    co_return err->to_error(fmt::format("source {} refused the replica", info_.server_name));
  }
  auto ok = parse_ok_packet(*packet);
  if (!ok) co_return ok.error();
  co_return result<void>();
}

awaitable<result<void>> replication_client::register_and_dump(const replication_options& o) {
  register_slave reg{o.server_id, o.report_host, o.connection.user, "", o.report_port, 0, 0};
  auto reg_payload = build_register_slave(reg);
  if (auto r = co_await connection_.write_command(reg_payload); !r) co_return r.error();
  if (auto r = co_await expect_ok(); !r) co_return r.error();
  std::vector<std::uint8_t> dump;
  if (!o.dump_file.empty()) {
    dump = build_binlog_dump({o.dump_position, o.dump_flags, o.server_id, o.dump_file});
  } else if (info_.flavour == server_flavour::mariadb) {
    dump = build_binlog_dump({4, o.dump_flags, o.server_id, ""});
  } else {
    dump = build_binlog_dump_gtid({o.dump_flags, o.server_id, "", 4, o.mysql_gtid_set});
  }
  co_return co_await connection_.write_command(dump);
}

result<stream_packet> replication_client::parse_event(bytes_view payload) {
  auto packet = parse_stream_packet(payload, info_.semi_sync, info_.server_name);
  if (!packet && packet.error().code != errc::server_error) connection_.close();
  return packet;
}

awaitable<result<std::optional<stream_packet>>> replication_client::read_event_view() {
  auto payload = co_await connection_.read_packet_view(stream_check());
  if (!payload) co_return payload.error();
  auto packet = parse_event(*payload);
  if (!packet) co_return packet.error();
  if (packet->what == stream_packet::kind::end) co_return std::optional<stream_packet>();
  co_return std::optional(*packet);
}

awaitable<result<std::optional<binlog_stream_event>>> replication_client::read_event() {
  auto packet = co_await read_event_view();
  if (!packet) co_return packet.error();
  if (!*packet) co_return std::optional<binlog_stream_event>();
  binlog_stream_event event;
  event.bytes.assign((*packet)->event.begin(), (*packet)->event.end());
  event.semi_sync_ack_requested = (*packet)->semi_sync_ack_requested;
  co_return std::optional(std::move(event));
}

}  // namespace binrelay::protocol
