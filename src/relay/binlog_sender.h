#pragma once
// binlog_sender: the events a replica's binlog dump receives, read from the relay store
// (docs/serving.md). Sans-socket: the owner (replica_session.h) asks for the events readable
// now, frames them (protocol/binlog_stream.h) and sends them, waits when there are none, and
// asks for a heartbeat when idle.
//
// The stream is what MySQL / MariaDB primaries send:
//   artificial ROTATE (timestamp 0, log_pos 0, LOG_EVENT_ARTIFICIAL_F, position + file name),
//   the start file's FDE as stored, then its events from the start offset: PREVIOUS_GTIDS or
//   GTID_LIST, transactions. Transactions the replica already has are left out (MySQL: GTID in
//   the replica's set; MariaDB: seq_no at or behind the replica's position in its domain).
//   A ROTATE at the end of a file is sent and followed by the next file from its beginning.
//   MariaDB GTID dumps get, before the first transaction sent, a GTID_LIST (timestamp 0) with
//   the replica's start position, as MariaDB primaries send: mariadb-binlog --start-position=GTID
//   relies on it to know that the start was reached.
// The current file is read only up to store.end_position(), so a replica never sees a partial
// transaction. A file the store found damaged (relay_store::damage_in) is read only up to the
// start of the damaged range; a dump that reaches it, or starts in it, ends with ERR 1236
// naming the file and offset (damaged_range_message).
//
// Not thread-safe (one per replica); the store's reader side is.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "binlog/format_description.h"
#include "binlog/transaction_gtid.h"
#include "common/result.h"
#include "relay/dump_start.h"
#include "relay/event_map_reader.h"
#include "relay/relay_store.h"

namespace binrelay::relay {

struct sender_options {
  std::uint32_t server_id = 1;  // in the artificial ROTATE and heartbeats
  bool heartbeat_v2 = false;    // MySQL 8.0.26+ replicas set dump flag 0x02
  // The replica SET @master_binlog_checksum (or @source_binlog_checksum) to CRC32: artificial
  // ROTATEs carry the file's checksum. Otherwise they carry none, as primaries do for
  // mariadb-binlog, which sets it to 'NONE' ("checksum-aware, but not for the fake Rotate").
  bool replica_checksum_aware = true;
};

class binlog_sender {
 public:
  // Receives the events next_events() hands out, in stream order: each a whole event
  // (checksum included) as a view that is valid only during the call.
  class event_sink {
   public:
    virtual void on_event(bytes_view event) = 0;

   protected:
    ~event_sink() = default;
  };

  // Finds the start (find_dump_start) and reads the start file's FDE. Errors: those of
  // find_dump_start (1236 server errors), io_error / corrupt for an unreadable file.
  static result<binlog_sender> start(const relay_store& store, const dump_request& request,
                                     sender_options options);

  binlog_sender(binlog_sender&&) noexcept;
  binlog_sender& operator=(binlog_sender&&) noexcept;
  ~binlog_sender();

  // Hands the next whole events readable now to `sink`, stopping after about `max_bytes`.
  // Returns how many were handed out; 0 means the reader is at the end of the log: wait for
  // store.end_position() to move. The file is read through a mapping (event_map_reader.h);
  // the store's end position (and, for a finished file, its size) is looked up only when the
  // readable events are used up, not per event. Errors: io_error, corrupt (an event that crosses
  // the readable end of a finished file, a ROTATE naming an unknown file).
  result<std::size_t> next_events(event_sink& sink, std::size_t max_bytes);
  // The same, appending copies of the events to `out`.
  result<std::size_t> next_events(std::vector<std::vector<std::uint8_t>>& out,
                                  std::size_t max_bytes);

  // A HEARTBEAT (v1, or v2 with options.heartbeat_v2) naming the current file and offset.
  std::vector<std::uint8_t> heartbeat() const;

  // The next offset to read in the current file.
  log_position position() const;
  // The GTID of the last transaction whose first event was handed out ("uuid:n" or "d-s-n");
  // "" before the first one.
  std::string last_gtid() const;
  binlog::checksum_alg checksum() const { return fde_.checksum; }

 private:
  binlog_sender(const relay_store& store, const dump_request& request, sender_options options);

  result<void> open(const std::string& name, std::uint64_t offset);
  // Bytes of the current file readers may read now.
  std::uint64_t readable_end(bool& finished) const;
  // Buffers more of the current file; at the end of a finished file moves to the next one
  // (handing its artificial ROTATE to `sink`). False: nothing more is readable now.
  result<bool> refill(event_sink& sink, std::size_t& count);
  // Handles one event: whether it is sent; a ROTATE sets rotate_to_.
  result<bool> process(bytes_view event);
  result<bool> is_skipped_gtid(bytes_view event, const binlog::event_header& h);
  // The stream's first ROTATE follows options.replica_checksum_aware; later ones (to a file
  // that the previous one did not rotate to) carry the current FDE's checksum.
  std::vector<std::uint8_t> artificial_rotate(std::uint64_t position, bool stream_start) const;
  std::vector<std::uint8_t> start_gtid_list(std::uint64_t position) const;
  result<void> move_to_next_file();

  const relay_store* store_;
  dump_request request_;
  sender_options options_;
  std::optional<event_map_reader> file_;
  std::optional<damaged_range> damage_;  // of the current file: nothing is read past `from`
  binlog::format_description fde_;
  bool skipping_ = false;
  std::optional<binlog::transaction_gtid> last_gtid_;
  bool start_announced_ = false;                    // MariaDB: the fake GTID_LIST was sent
  bool announce_start_ = false;                     // MariaDB: send it before the current event
  std::string rotate_to_;                           // the file a ROTATE just handed out names
  std::vector<std::vector<std::uint8_t>> pending_;  // sent before reading on
};

}  // namespace binrelay::relay
