#pragma once
// apply_run: one connected run of the applier. It connects its workers, finds where the
// downstream's recorded progress says to resume, then reads the relay log and hands
// transactions to idle workers as the scheduler allows; each worker executes its transaction
// and commits it when every earlier one has committed. It ends on stop, on the first failing
// transaction (earlier ones still commit, later ones roll back) or on a lost connection.
//
// Threading: everything runs on one executor (one thread); only the store is shared.

#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "applier/applier_config.h"
#include "applier/apply_error.h"
#include "applier/apply_worker.h"
#include "applier/relay_transaction.h"
#include "applier/scheduler.h"
#include "gtid/mariadb_gtid.h"
#include "applier/applier_status.h"
#include "relay/relay_store.h"

namespace binrelay::applier {

enum class run_outcome { stopped, sql_error, connection_error };

struct run_end {
  run_outcome outcome = run_outcome::stopped;
  apply_error error;
};

// Flags the owner changes between and during runs (same executor).
struct run_control {
  bool stopping = false;
  std::string skip_gtid;  // cleared once applied
};

class apply_run {
 public:
  apply_run(boost::asio::any_io_executor ex, const applier_config& config,
            const relay::relay_store& store, applier_status& status, run_control& control);
  // Connects, prepares the progress table, then applies until the run ends.
  boost::asio::awaitable<run_end> run();
  // Makes the coordinator look at its state now (after stop requests).
  void wake() { wake_.cancel(); }

 private:
  boost::asio::awaitable<result<relay::log_position>> prepare();
  boost::asio::awaitable<result<void>> wait_for_other_sessions();
  // After prepare(): how many transactions from `start` are committed already.
  result<void> find_committed(const relay::log_position& start, std::string_view binlog_state);
  boost::asio::awaitable<void> coordinate(relay::log_position start);
  result<void> fill_queue(class relay_reader& reader);
  void mark_replayable(relay_transaction& txn) const;
  void dispatch();
  // How many transactions from t on one worker replays as one run (0: t is not replayed in a
  // run). REQUIRES: t is startable.
  std::size_t run_length(ticket t) const;
  relay_transaction& txn_at(ticket t) { return queue_[t - queue_base_]; }
  boost::asio::awaitable<void> work(apply_worker& w, ticket t, relay_transaction& txn);
  // A run on one worker: the batches in flight and what is left to send.
  struct run_flight {
    static constexpr std::size_t depth = 2;  // batches in flight
    struct batch {
      ticket first = 0;
      replay_batch statements;
    };
    ticket next = 0;  // the first transaction not sent
    ticket end = 0;
    std::deque<batch> batches;
  };
  boost::asio::awaitable<void> work_run(apply_worker& w, ticket first, std::size_t count);
  ticket batch_end(const apply_worker& w, ticket from, ticket end);
  boost::asio::awaitable<bool> send_run_batch(apply_worker& w, run_flight& f);
  boost::asio::awaitable<bool> drain(apply_worker& w, run_flight& f, ticket t);
  // Applies t with retries; false when it failed (the run is failing) or was aborted.
  boost::asio::awaitable<bool> apply_with_retries(apply_worker& w, ticket t,
                                                  relay_transaction& txn);
  boost::asio::awaitable<result<std::optional<apply_error>>> apply_once(apply_worker& w, ticket t,
                                                                        relay_transaction& txn);
  boost::asio::awaitable<result<std::optional<apply_error>>> replay_once(apply_worker& w, ticket t,
                                                                         relay_transaction& txn);
  boost::asio::awaitable<result<std::optional<apply_error>>> commit_in_turn(apply_worker& w,
                                                                            ticket t,
                                                                            relay_transaction& txn,
                                                                            bool ddl);
  void release(apply_worker& w);
  enum class turn { go, aborted, undone };
  boost::asio::awaitable<turn> wait_for_turn(apply_worker& w, ticket t);
  // Optimistic mode (apply_optimistic.cpp).
  bool optimistic() const { return config_.parallel == parallel_mode::optimistic; }
  // Later transactions must give their locks up while the one held back retries.
  bool undoing(ticket t) const { return holdback_ && t > *holdback_; }
  enum class conflict_step { retry, not_a_conflict, aborted };
  // After t failed with `e` and was rolled back: whether (and when) to run it again.
  boost::asio::awaitable<conflict_step> settle_conflict(apply_worker& w, ticket t,
                                                        const apply_error& e, bool was_head);
  boost::asio::awaitable<bool> park(apply_worker& w, ticket t, bool until_head);
  boost::asio::awaitable<result<void>> restore_lock_waits(apply_worker& w);
  result<sql_batch> make_batch(apply_worker& w, const relay_transaction& txn, bool* ddl);
  void on_committed(ticket t, const relay_transaction& txn, bool ddl);
  void fail(ticket t, run_outcome outcome, apply_error e);
  void notify_workers();
  bool aborted(ticket t) const { return end_.outcome != run_outcome::stopped && t > failed_; }

  boost::asio::any_io_executor ex_;
  const applier_config& config_;
  const relay::relay_store& store_;
  applier_status& status_;
  run_control& control_;
  std::vector<std::unique_ptr<apply_worker>> workers_;
  scheduler scheduler_;
  std::deque<relay_transaction> queue_;  // from the oldest uncommitted transaction
  ticket queue_base_ = 0;
  boost::asio::steady_timer wake_;
  std::size_t busy_ = 0;
  run_end end_;
  ticket failed_ = 0;
  // Transactions after the resume position the downstream committed already (resume_scan.h).
  std::size_t already_committed_ = 0;
  bool carry_new_file_ = false;  // a skipped committed transaction began a relay file
  // The downstream logs GTIDs (log_bin): replay batches record progress in their last
  // transaction only, and a restart finds the others by their GTIDs.
  bool sparse_progress_ = false;
  // Optimistic mode: the oldest uncommitted transaction, retrying after a lock conflict with
  // later ones; nothing starts and later ones stay rolled back until it commits.
  std::optional<ticket> holdback_;
  std::size_t parked_ = 0;   // workers rolled back, waiting to run their transaction again
  std::uint64_t undone_ = 0;  // transactions rolled back and run again in this run
};

}  // namespace binrelay::applier
