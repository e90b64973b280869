#pragma once
// downstream_flavour: what differs between a MariaDB and a MySQL (8.0+) downstream, decided
// once per connection from the server's greeting (its version string names MariaDB or not).
//
//                  MariaDB                                 MySQL
//   session        autocommit=0, binlog_annotate_row_      autocommit=0 (no MariaDB-only
//                  events=0, innodb_lock_wait_timeout      variables), innodb_lock_wait_timeout
//   keep a GTID    SET SESSION gtid_domain_id=D,           SET GTID_NEXT='uuid[:tag]:N' (the
//                  server_id=S,gtid_seq_no=N               transaction then owns it; a GTID the
//                                                          server executed already makes the
//                                                          transaction a no-op)
//   what is        @@gtid_binlog_state (with log_bin)      @@gtid_executed (kept in the same
//   committed      and the progress rows                   transaction as the data, with or
//                                                          without log_bin)
//   replay         MariaDB sources' events                 MySQL sources' events
//   parallel mode  as asked                                conservative: optimistic mode needs
//                                                          innodb_lock_wait_timeout=0, and
//                                                          MySQL's minimum is 1 s
//
// Sans-I/O: SQL text only.

#include <string>
#include <string_view>

#include "applier/applier_config.h"
#include "applier/relay_transaction.h"

namespace binrelay::applier {

enum class downstream_flavour { mariadb, mysql };

// From the server's greeting: "10.11.6-MariaDB-..." (also "5.5.5-10.11.6-MariaDB") is MariaDB,
// anything else MySQL.
downstream_flavour flavour_of_version(std::string_view server_version);
std::string_view flavour_name(downstream_flavour f);

// The parallel mode a downstream of flavour f applies in when `asked` was configured.
// Optimistic mode finds conflicts by sessions that never wait for a row lock
// (innodb_lock_wait_timeout=0); MySQL raises 0 to its minimum, 1 s (warning 1292), so every
// conflict would cost a second: a MySQL downstream applies in conservative mode, in parallel
// where the primary's LOGICAL_CLOCK (writesets) says (docs/applier.md, "Optimistic mode").
parallel_mode effective_parallel_mode(downstream_flavour f, parallel_mode asked);

// The session set-up after the common defaults (transaction_sql.h: session_defaults_sql()).
std::string session_setup_sql(downstream_flavour f, unsigned lock_wait_timeout_s);

// SQL that makes the downstream record `txn`'s GTID for the next transaction, or "" when it
// cannot keep it (a GTID of the other flavour, an anonymous transaction). On MySQL, a
// transaction whose GTID cannot be kept gets SET GTID_NEXT='AUTOMATIC' (a GTID_NEXT set for an
// earlier transaction would otherwise refuse the next statement).
std::string keep_gtid_sql(downstream_flavour f, const relay_transaction& txn);

// Whether `txn`'s GTID is one this downstream keeps (so its executed GTIDs tell whether it
// committed).
bool keeps_gtid(downstream_flavour f, const relay_transaction& txn);

}  // namespace binrelay::applier
