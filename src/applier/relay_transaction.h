#pragma once
// relay_transaction: one complete transaction of the relay log (binlog/transaction.h) with
// what the applier decides about it.

#include <utility>

#include "binlog/transaction.h"

namespace binrelay::applier {

struct relay_transaction : binlog::transaction {
  relay_transaction() = default;
  explicit relay_transaction(binlog::transaction&& t) : binlog::transaction(std::move(t)) {}

  bool skip = false;  // apply as an empty transaction (operator's skip)
  // Its events can be applied as BINLOG statements (binlog_replay.h); set by the applier.
  bool replayable = false;
};

}  // namespace binrelay::applier
