#pragma once
// transaction_skip: the operator's skip of a failing transaction on the admin port, per admin
// session (docs/admin-sql.md, "Skipping a transaction"). MySQL's way:
//   SET GTID_NEXT='uuid:N' (or '0-1-N'); BEGIN; COMMIT; SET GTID_NEXT='AUTOMATIC'; START SLAVE
// and MariaDB's: SET GLOBAL gtid_slave_pos='D-S-N'; START SLAVE. Both hand the GTID to
// admin_state::skip_transaction, which makes the applier record it as an empty transaction on
// the downstream when it meets it; START SLAVE then resumes. Sans-I/O; not thread-safe.

#include <string>

#include "admin/state.h"
#include "relay/replica_queries.h"
#include "sql/statement.h"

namespace binrelay::admin {

class transaction_skip {
 public:
  // `state` must outlive this object.
  explicit transaction_skip(admin_state& state) : state_(state) {}

  // SET [@@SESSION.]GTID_NEXT = 'AUTOMATIC' | 'uuid:N' | 'D-S-N'.
  relay::query_answer set_gtid_next(const sql::expression& value);
  // SET GLOBAL gtid_slave_pos = 'D-S-N' (one domain; the next transaction of that domain).
  relay::query_answer set_gtid_slave_pos(const sql::expression& value);
  // BEGIN / START TRANSACTION: only with GTID_NEXT set to a GTID.
  relay::query_answer begin();
  // COMMIT: with GTID_NEXT set, skips that GTID; otherwise nothing to commit.
  relay::query_answer commit();
  // The session's @@gtid_next as MySQL shows it.
  std::string gtid_next() const { return gtid_next_.empty() ? "AUTOMATIC" : gtid_next_; }

 private:
  relay::query_answer skip(const std::string& gtid);

  admin_state& state_;
  std::string gtid_next_;  // canonical GTID text; empty: AUTOMATIC
  bool owned_ = false;     // gtid_next_ not committed yet
  bool in_transaction_ = false;
};

}  // namespace binrelay::admin
