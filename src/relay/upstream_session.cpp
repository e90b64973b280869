#include "relay/upstream_session.h"

#include <algorithm>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "binlog/event_header.h"
#include "binlog/transaction_boundary.h"
#include "common/counters.h"
#include "common/log.h"
#include "protocol/replication_commands.h"
#include "protocol/server_errors.h"
#include "relay/retry_backoff.h"

namespace binrelay::relay {
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

constexpr std::uint32_t er_source_fatal_error_reading_binlog = 13114;
constexpr std::uint32_t er_relay_log_write_failure = 1595;  // ER_SLAVE_RELAY_LOG_WRITE_FAILURE

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string endpoint_name(const upstream_endpoint& ep) {
  return ep.host + ":" + std::to_string(ep.port);
}

// Control events (binlog/transaction_boundary.h) and the artificial ones describe the stream
// or a binlog file, not a transaction: their timestamp is 0 or the file's creation time (a new
// source's first file may be hours old).
bool describes_stream(bytes_view e) {
  if (e.size() < binlog::event_header_size) return true;
  if (load_u16(e.data() + binlog::flags_offset) & binlog::flag_artificial) return true;
  return binlog::is_control_event(binlog::event_type(e[binlog::type_offset]));
}

// The source timestamp of the batch's last transaction event (0 when it has none): what
// Seconds_Behind_Source measures from.
std::int64_t transaction_timestamp(std::span<const bytes_view> batch) {
  for (auto e = batch.rbegin(); e != batch.rend(); ++e) {
    if (!describes_stream(*e)) return load_u32(e->data() + binlog::timestamp_offset);
  }
  return 0;
}

}  // namespace

std::pair<std::uint32_t, std::string> io_error_for_status(const error& e, failure_origin origin) {
  if (origin == failure_origin::relay_log && e.code == errc::io_error) {
    return {er_relay_log_write_failure, "Relay log write failure: " + e.describe()};
  }
  if (e.code == errc::server_error && e.server_errno == protocol::er::master_fatal_reading_binlog) {
    // The message after "ERROR 1236 (HY000): " is what the source sent.
    std::string_view text = e.message;
    if (auto colon = text.find("): "); colon != std::string_view::npos)
      text.remove_prefix(colon + 3);
    return {er_source_fatal_error_reading_binlog,
            fmt::format("Got fatal error 1236 from source when reading data from binary log: '{}'",
                        text)};
  }
  if (e.code == errc::server_error) return {e.server_errno, e.describe()};
  if (e.code == errc::invalid_argument && e.server_errno == er_source_refused)
    return {er_source_refused, e.message};
  if (e.code == errc::invalid_argument) return {er_source_refused, e.describe()};
  if (e.code == errc::auth_failed) return {protocol::er::access_denied, e.describe()};
  return {2003, e.describe()};
}

upstream_session::upstream_session(asio::any_io_executor executor, upstream_config config,
                                   relay_store& store, upstream_status& status)
    : executor_(executor),
      retry_timer_(executor),
      sources_(config.sources ? config.sources : make_source_list(config.endpoints)),
      config_(std::move(config)),
      store_(store),
      status_(status) {}

void upstream_session::stop() {
  stopping_ = true;
  if (client_) client_->raw_connection().close();
  retry_timer_.cancel();
  if (monitor_) monitor_->stop();
}

asio::awaitable<void> upstream_session::run() {
  using namespace asio::experimental::awaitable_operators;
  group_monitor_config mc;
  mc.connection = connection_options(endpoint_for({}));
  mc.interval = config_.monitor_interval;
  mc.timeout = config_.probe_timeout;
  mc.state_dir = config_.state_dir;
  group_monitor monitor(executor_, mc, *sources_, [this] { reconsider(); });
  monitor_ = &monitor;
  co_await (replicate_loop() && monitor.run());
  monitor_ = nullptr;
  status_.update([](upstream_snapshot& s) {
    s.running = io_running::no;
    s.state = "";
  });
  log::info("upstream session stopped");
}

asio::awaitable<void> upstream_session::replicate_loop() {
  retry_backoff backoff({config_.retry_initial, config_.retry_max, config_.retry_max_permanent});
  while (!stopping_) {
    auto address = pick();
    streamed_ = progressed_ = store_failed_ = switching_ = false;
    result<void> r = binrelay::error{
        errc::invalid_argument, "no trusted source: " + untrusted_summary(), er_source_refused};
    upstream_endpoint ep = endpoint_for(address.value_or(source_address{}));
    if (address) r = co_await replicate_from(ep);
    auto discarded = store_.discard_partial_transaction();
    if (!discarded) log::error("relay log: {}", discarded.error().describe());
    if (stopping_) break;
    if (progressed_) {
      backoff.after_progress();
      tried_.clear();
    }
    if (switching_) continue;  // a better source is known: go there now
    if (address && !streamed_) note_tried(*address);
    const error failure = r ? make_error(errc::closed, "the source connection ended") : r.error();
    if (address) {
      sources_->set_error(*address, failure.describe());
      failed_at_[address->to_string()] = std::chrono::steady_clock::now();
    }
    const bool logged = note_failure(ep, failure);
    auto delay = backoff.after_failure(classify_failure(failure));
    status_.update([&](upstream_snapshot& s) {
      s.running = io_running::connecting;
      s.state = "Reconnecting after a failed source event read";
      s.retries = backoff.failures();
      s.retry_delay_ms = std::uint64_t(delay.count());
    });
    if (logged) {
      log::info("reconnecting in {} ms", delay.count());
    } else {
      log::debug("reconnecting in {} ms (attempt {})", delay.count(), backoff.failures());
    }
    retry_timer_.expires_after(delay);
    co_await retry_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (monitor_) monitor_->stop();
}

protocol::replication_options upstream_session::replication_options(
    const upstream_endpoint& ep) const {
  protocol::replication_options o;
  o.connection = connection_options(ep);
  o.server_id = config_.server_id;
  o.heartbeat_period = config_.heartbeat_period;
  o.replica_uuid = config_.server_uuid;
  o.dump_flags = protocol::dump_flag::mariadb_send_annotate_rows;
  o.semi_sync = config_.semi_sync;
  gtid_state retrieved = store_.retrieved();
  retrieved.mysql.encode_binary(o.mysql_gtid_set);
  o.mariadb_connect_state = retrieved.position.to_string();
  return o;
}

asio::awaitable<result<void>> upstream_session::replicate_from(const upstream_endpoint& ep) {
  status_.update([&](upstream_snapshot& s) {
    s.running = io_running::connecting;
    s.caught_up = false;
    s.last_event_unix = 0;  // unknown until this source sends a transaction or a heartbeat
    s.semi_sync = false;
    s.state = "Connecting to source";
    s.host = ep.host;
    s.port = ep.port;
    s.user = config_.user;
  });
  auto vetted = co_await probe_and_vet(ep);
  if (!vetted) co_return std::move(vetted).error();
  protocol::replication_client client(executor_);
  client_ = &client;
  auto info = co_await client.start(replication_options(ep));
  if (!info) {
    client_ = nullptr;
    co_return std::move(info).error();
  }
  note_connected(ep, *info);
  auto r = co_await stream_events(client);
  client_ = nullptr;
  status_.update([](upstream_snapshot& s) { s.semi_sync = false; });
  co_return r;
}

void upstream_session::note_connected(const upstream_endpoint& ep,
                                      const protocol::replication_session_info& info) {
  streamed_ = true;
  note_source_in_use(ep);
  gtid_state retrieved = store_.retrieved();
  log::info(
      "connected to {} ({} {}, server_id {}{}{}); replicating after GTIDs '{}'", endpoint_name(ep),
      info.flavour == protocol::server_flavour::mariadb ? "MariaDB" : "MySQL", info.server_version,
      info.source_server_id, info.source_uuid.empty() ? "" : ", uuid " + info.source_uuid,
      info.semi_sync ? ", semi-sync" : "", retrieved.to_string());
  if (config_.semi_sync && !info.semi_sync) {
    log::warn(
        "source {} has no semi-synchronous replication (rpl_semi_sync_source_enabled or "
        "rpl_semi_sync_master_enabled unknown: plugin not installed); replicating "
        "asynchronously",
        endpoint_name(ep));
  }
  status_.update([&](upstream_snapshot& s) {
    s.running = io_running::yes;
    s.state = "Waiting for source to send event";
    s.source_server_id = info.source_server_id;
    s.source_uuid = info.source_uuid;
    s.source_version = info.server_version;
    s.semi_sync = info.semi_sync;
    s.clock_diff_seconds = -info.clock_diff_s;
    ++s.connects;
    // Connected: a connection's error is over (MariaDB clears it here too); a relay log
    // write failure lasts while the store refuses writes.
    if (s.last_io_errno != er_relay_log_write_failure) {
      s.last_io_errno = 0;
      s.last_io_error.clear();
      s.last_io_error_unix = 0;
    }
  });
  if (config_.on_connected) config_.on_connected(info);
  last_progress_ = std::chrono::steady_clock::now();
}

// Events already buffered from the network are appended as one batch, so one fdatasync
// covers every transaction they complete (group commit) while the primary streams a backlog.
// The batch is copied once, into a buffer reused from batch to batch (no allocation per event).
asio::awaitable<result<void>> upstream_session::stream_events(
    protocol::replication_client& client) {
  std::vector<std::uint8_t> storage;
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // offset, size in storage
  std::vector<bytes_view> views;
  while (true) {
    storage.clear();
    spans.clear();
    bool ack_wanted = false;
    auto read = co_await client.read_event_views([&](const protocol::stream_packet& p) {
      spans.emplace_back(storage.size(), p.event.size());
      storage.insert(storage.end(), p.event.begin(), p.event.end());
      ack_wanted = ack_wanted || p.semi_sync_ack_requested;
    });
    if (!spans.empty()) {
      views.clear();
      for (auto [offset, size] : spans) views.emplace_back(storage.data() + offset, size);
      log_position end_before = store_.end_position();
      auto appended = store_.append_batch(views);
      if (appended && store_.end_position() != end_before) note_progress();
      note_received(views, storage.size());
      if (!appended) {
        store_failed_ = true;
        co_return std::move(appended).error();
      }
      if (ack_wanted && read) {
        if (auto a = co_await acknowledge(client); !a) co_return a;
      }
    }
    if (!read) co_return std::move(read).error();
    if (*read == 0) co_return make_error(errc::closed, "the source ended the binlog stream");
  }
}

// Adds a batch to the process counters (common/counters.h): one add per counter.
void upstream_session::count_received(std::span<const bytes_view> batch, std::size_t bytes) {
  std::uint64_t gtids = 0;
  for (const auto& e : batch) {
    if (e.size() <= binlog::type_offset) continue;
    auto type = binlog::event_type(e[binlog::type_offset]);
    gtids += type == binlog::event_type::gtid || type == binlog::event_type::mariadb_gtid;
  }
  auto& c = counters();
  process_counters::add(c.bytes_received, bytes);
  process_counters::add(c.events_received, batch.size());
  process_counters::add(c.transactions_received, gtids);
}

// append_batch() returned after the store published the batch's complete transactions, which
// it fdatasyncs first under sync_mode::per_transaction; the store's upstream position is the
// end of the last of them, so the ACK covers exactly what the relay log holds. The source
// releases every commit waiting at or before it.
asio::awaitable<result<void>> upstream_session::acknowledge(protocol::replication_client& client) {
  upstream_position up = store_.upstream();
  if (auto r = co_await client.send_semi_sync_ack(up.file, up.position); !r) co_return r;
  status_.update([](upstream_snapshot& s) { ++s.semi_sync_acks; });
  co_return result<void>();
}

void upstream_session::note_received(std::span<const bytes_view> batch, std::size_t bytes) {
  bytes_view last = batch.back();
  std::int64_t ts = transaction_timestamp(batch);
  auto last_type = last.size() > binlog::type_offset ? binlog::event_type(last[binlog::type_offset])
                                                     : binlog::event_type::unknown;
  // MySQL 8.0.26+ sends Heartbeat_log_event_v2.
  bool heartbeat =
      last_type == binlog::event_type::heartbeat || last_type == binlog::event_type::heartbeat_v2;
  upstream_position up = store_.upstream();
  if (heartbeat) note_progress();
  count_received(batch, bytes);
  status_.update([&](upstream_snapshot& s) {
    s.bytes_received += bytes;
    s.caught_up = heartbeat;
    if (ts != 0) s.last_event_unix = ts;
    s.source_log_file = up.file;
    s.read_source_log_pos = up.position;
  });
  if (std::chrono::steady_clock::now() - last_progress_ >= config_.progress_interval)
    report_progress(ts);
}

void upstream_session::report_progress(std::int64_t event_unix) {
  auto now = std::chrono::steady_clock::now();
  auto seconds = std::chrono::duration<double>(now - last_progress_).count();
  upstream_snapshot s = status_.snapshot();
  std::int64_t lag = event_unix == 0 ? 0 : std::max<std::int64_t>(0, unix_now() - event_unix);
  if (lag >= 10) {
    double mb = double(s.bytes_received - bytes_at_last_progress_) / 1e6;
    log::info(
        "catching up: {:.1f} MB in the last {:.0f} s ({:.1f} MB/s), source log {}:{}, {} s behind",
        mb, seconds, mb / seconds, s.source_log_file, s.read_source_log_pos, lag);
  }
  last_progress_ = now;
  bytes_at_last_progress_ = s.bytes_received;
}

void upstream_session::note_progress() {
  if (progressed_) return;
  progressed_ = true;
  report_.on_progress();
  status_.update([](upstream_snapshot& s) {
    s.retries = 0;
    s.retry_delay_ms = 0;
  });
}

bool upstream_session::note_failure(const upstream_endpoint& ep, const error& e) {
  auto [errno_value, text] =
      io_error_for_status(e, store_failed_ ? failure_origin::relay_log : failure_origin::source);
  auto d = report_.on_failure(errno_value, text, classify_failure(e));
  if (d.set_status) status_.set_error(errno_value, text);
  if (d.log) log::error("upstream {}: {} (Last_IO_Errno {})", endpoint_name(ep), text, errno_value);
  return d.log;
}

}  // namespace binrelay::relay
