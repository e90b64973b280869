#pragma once
// transaction_boundary: classifies a stream of binlog events into transactions, so the relay
// store knows where a transaction starts and where it is complete (the only places it may
// rotate, publish an end position, or truncate to after a crash). The rules follow MySQL's
// Transaction_boundary_parser and MariaDB's event groups; docs/relay-store.md, "Transactions".
//
//   MySQL:   GTID | ANONYMOUS_GTID | GTID_TAGGED, then either
//              BEGIN (or XA START) ... XID | COMMIT | ROLLBACK | XA_PREPARE   (DML)
//              or a single statement (DDL, XA COMMIT, TRANSACTION_PAYLOAD, INCIDENT ...)
//   MariaDB: GTID(162) without STANDALONE ... XID | COMMIT | ROLLBACK | XA_PREPARE
//            GTID(162) with STANDALONE, then a single statement
//   No GTID (pre-5.6 / gtid_mode=OFF without anonymous GTIDs): BEGIN ... COMMIT/XID, or a
//            statement on its own. INTVAR/RAND/USER_VAR/TABLE_MAP ... before a statement
//            belong to it.
//   Control events (FDE, ROTATE, PREVIOUS_GTIDS, GTID_LIST, HEARTBEAT, BINLOG_CHECKPOINT,
//            STOP) belong to no transaction.
//
// Sans-I/O and allocation-free. Not thread-safe (a value type).

#include <cstdint>
#include <string_view>

#include "binlog/event_header.h"
#include "binlog/event_type.h"
#include "binlog/format_description.h"
#include "binlog/mariadb_events.h"
#include "common/bytes.h"

namespace binrelay::binlog {

// What a QUERY event's text means for transaction boundaries.
enum class query_kind : std::uint8_t {
  begin,     // "BEGIN", "XA START ..."
  commit,    // "COMMIT"
  rollback,  // "ROLLBACK" (not "ROLLBACK TO SAVEPOINT ...")
  other,     // any other statement (DDL, DML in statement format, "XA END", "XA COMMIT" ...)
};

// Classifies a statement's text (leading whitespace and keyword case ignored).
query_kind classify_query_text(std::string_view query);
// Classifies a QUERY event from its body (after the common header, before the checksum).
// A body too short to hold the text is classified `other`.
query_kind classify_query_event(bytes_view body, const format_description& fde);

// The facts about one event the classifier needs.
struct boundary_event {
  event_type type = event_type::unknown;
  query_kind query = query_kind::other;  // QUERY events only
  std::uint8_t mariadb_flags2 = 0;       // MariaDB GTID(162) only
};

// Where an event sits relative to transactions.
enum class event_role : std::uint8_t {
  control,    // not part of any transaction (FDE, ROTATE, HEARTBEAT, GTID_LIST ...)
  begins,     // first event of a transaction that is not complete yet
  continues,  // inside a transaction, which is still not complete
  ends,       // last event: the transaction is complete
  whole,      // a complete unit by itself, outside any transaction
  broken,     // impossible here (a GTID inside an open transaction, XID without BEGIN ...);
              // the classifier's state is unchanged: the caller drops the open transaction
              // (reset()) or stops
};

std::string_view to_string(event_role r);

// True for events that are never part of a transaction's data.
bool is_control_event(event_type t);

class transaction_boundary {
 public:
  // Classifies the next event and advances the state.
  event_role step(const boundary_event& e);
  // True while a transaction has begun and has not ended.
  bool in_transaction() const { return state_ != state::none; }
  // Forgets an open transaction (after a disconnect or a broken sequence).
  void reset() { state_ = state::none; }

 private:
  enum class state : std::uint8_t {
    none,
    after_gtid,        // a GTID: BEGIN or one statement follows
    before_statement,  // pre-statement events seen: one statement ends the transaction
    in_dml,            // BEGIN (or a non-standalone MariaDB GTID) seen: XID/COMMIT ends it
  };
  event_role on_gtid(const boundary_event& e);
  event_role on_query(query_kind k);
  event_role on_terminator();
  event_role on_pre_statement();
  event_role on_statement();

  state state_ = state::none;
};

}  // namespace binrelay::binlog

namespace binrelay::binlog {

// The classifier's input for one event. `body` is between header and checksum.
boundary_event make_boundary_event(const event_header& h, bytes_view body,
                                   const format_description& fde);

}  // namespace binrelay::binlog
