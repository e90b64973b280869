#include "applier/scheduler.h"

#include <cassert>

namespace binrelay::applier {

ticket scheduler::add(const schedule_info& info) {
  if (info.new_file) ++file_epoch_;
  entries_.push_back({info, file_epoch_, txn_state::waiting});
  return base_ + entries_.size() - 1;
}

bool scheduler::independent(const schedule_info& earlier, std::uint64_t earlier_file,
                            const schedule_info& later, std::uint64_t later_file) {
  if (earlier.exclusive || later.exclusive) return false;
  if (!earlier.has_dependency_info() || !later.has_dependency_info()) return false;
  if (later.commit_id) {
    return earlier.commit_id == later.commit_id && earlier.domain_id == later.domain_id;
  }
  if (earlier_file != later_file || !earlier.sequence_number) return false;
  return *earlier.sequence_number > *later.last_committed;
}

std::optional<ticket> scheduler::next_startable() const {
  if (first_waiting_ >= entries_.size()) return std::nullopt;
  const entry& t = entries_[first_waiting_];
  if (t.info.exclusive && in_flight_ > 0) return std::nullopt;
  for (std::size_t i = 0; i < first_waiting_; ++i) {
    const entry& e = entries_[i];
    if (e.info.exclusive) return std::nullopt;
    if (e.state == txn_state::executed || (optimistic_ && !t.info.waited)) continue;
    if (optimistic_ || !independent(e.info, e.file, t.info, t.file)) return std::nullopt;
  }
  return base_ + first_waiting_;
}

void scheduler::start(ticket t) {
  assert(t == base_ + first_waiting_ && next_startable() == t);
  at(t).state = txn_state::running;
  ++first_waiting_;
  ++in_flight_;
}

void scheduler::start_in_run(ticket t) {
  assert(t == base_ + first_waiting_ && first_waiting_ > 0 && in_flight_ == first_waiting_);
  at(t).state = txn_state::running;
  ++first_waiting_;
  ++in_flight_;
}

void scheduler::executed(ticket t) {
  assert(at(t).state == txn_state::running);
  at(t).state = txn_state::executed;
}

void scheduler::restart(ticket t) {
  assert(at(t).state == txn_state::executed);
  at(t).state = txn_state::running;
}

void scheduler::committed([[maybe_unused]] ticket t) {
  assert(may_commit(t) && at(t).state != txn_state::waiting);
  entries_.pop_front();
  ++base_;
  --first_waiting_;
  --in_flight_;
}

txn_state scheduler::state(ticket t) const {
  if (t < base_) return txn_state::committed;
  return at(t).state;
}

}  // namespace binrelay::applier
