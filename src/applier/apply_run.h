#pragma once
// apply_run: one connected run of the applier. It connects its workers, finds where the
// downstream's recorded progress says to resume (apply_run.cpp), then its coordinator reads
// the relay log and hands transactions to idle workers as the scheduler allows
// (apply_coordinator.cpp); each worker executes its transaction (apply_transaction.cpp, or a
// run of replayed ones: apply_replay_run.cpp) and commits it when every earlier one has
// committed (apply_commit_order.cpp). It ends on stop, on the first failing transaction
// (earlier ones still commit, later ones roll back) or on a lost downstream.
//
// Waiting: the coordinator sleeps until a worker finishes or commits, the owner asks it to
// stop (wake()), or the relay log grows (relay_log::wait_for_more); workers wait for their
// turn to commit on their own timer, woken by each commit. Nothing polls.
//
// Threading: everything runs on one executor (one thread); only the relay log is shared.

#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "applier/applier_config.h"
#include "applier/applier_status.h"
#include "applier/apply_error.h"
#include "applier/apply_worker.h"
#include "applier/relay_log.h"
#include "applier/relay_transaction.h"
#include "applier/scheduler.h"
#include "gtid/gtid_set.h"

namespace binrelay::applier {

// stopped: by the owner; sql_error: a permanent error (the SQL thread stops);
// connection_error: a transient one (the owner reconnects after a back-off).
enum class run_outcome { stopped, sql_error, connection_error };

struct run_end {
  run_outcome outcome = run_outcome::stopped;
  apply_error error;
  bool connected = false;  // the workers connected and the run began applying
};

// Flags the owner changes between and during runs (same executor).
struct run_control {
  bool stopping = false;
  std::string skip_gtid;  // cleared once applied
  // Set by the first run that applied in another parallel mode than configured (its warning
  // is logged once, not at every reconnect).
  bool mode_fallback_logged = false;
};

class apply_run {
 public:
  apply_run(boost::asio::any_io_executor ex, const applier_config& config, const relay_log& log,
            applier_status& status, run_control& control);
  // Connects, prepares the progress table, then applies until the run ends.
  boost::asio::awaitable<run_end> run();
  // Makes the coordinator look at its state now (after stop requests, worker completions).
  void wake() { wake_.cancel(); }

 private:
  // --- start (apply_run.cpp) ----------------------------------------------------------------
  boost::asio::awaitable<result<binlog::log_position>> prepare();
  boost::asio::awaitable<result<void>> wait_for_other_sessions();
  // After prepare(): how many transactions from `start` are committed already.
  result<void> find_committed(const binlog::log_position& start, std::string_view binlog_state);
  result<void> note_executed_gtids(std::string_view gtid_executed);
  void fail_to_start(const binrelay::error& e);

  // --- coordinator (apply_coordinator.cpp) --------------------------------------------------
  boost::asio::awaitable<void> coordinate(binlog::log_position start);
  boost::asio::awaitable<void> read_and_dispatch(binlog::log_position start);
  // Reads transactions into the queue; true when the cursor caught up with the relay log.
  result<bool> fill_queue();
  void mark_replayable(relay_transaction& txn) const;
  bool executed_at_start(const relay_transaction& txn) const;
  downstream_flavour flavour() const { return workers_.front()->flavour; }
  void dispatch();
  void spawn(apply_worker& w, ticket t, boost::asio::awaitable<void> job);
  // Sleeps until wake() or, when `log_seen` is set, the relay log moved past it.
  boost::asio::awaitable<void> sleep(std::optional<std::uint64_t> log_seen);
  void set_caught_up(bool caught_up);
  // Slave_SQL_Running_State, the oldest pending transaction's time and the busy workers.
  void publish_progress();
  // How many transactions from t on one worker replays as one batch (0: t is not replayed
  // in a run). REQUIRES: t is startable.
  std::size_t run_length(ticket t) const;
  relay_transaction& txn_at(ticket t) { return queue_[t - queue_base_]; }

  // --- one transaction on one worker (apply_transaction.cpp, apply_replay_run.cpp) ----------
  boost::asio::awaitable<void> work(apply_worker& w, ticket t, relay_transaction& txn);
  boost::asio::awaitable<void> work_run(apply_worker& w, ticket first, std::size_t count);
  // Applies t with retries; false when it failed (the run is failing) or was aborted.
  boost::asio::awaitable<bool> apply_with_retries(apply_worker& w, ticket t,
                                                  relay_transaction& txn);
  boost::asio::awaitable<result<std::optional<apply_error>>> apply_once(apply_worker& w, ticket t,
                                                                        relay_transaction& txn);
  boost::asio::awaitable<result<std::optional<apply_error>>> replay_once(apply_worker& w, ticket t,
                                                                         relay_transaction& txn);
  result<sql_batch> make_batch(apply_worker& w, const relay_transaction& txn, bool* ddl);

  // --- commit order (apply_commit_order.cpp) ------------------------------------------------
  boost::asio::awaitable<result<std::optional<apply_error>>> commit_in_turn(apply_worker& w,
                                                                            ticket t,
                                                                            relay_transaction& txn,
                                                                            bool ddl);
  enum class turn { go, aborted, undone };
  boost::asio::awaitable<turn> wait_for_turn(apply_worker& w, ticket t);
  void on_committed(ticket t, const relay_transaction& txn, bool ddl);
  void release(apply_worker& w);
  // Ends the run at t (the first failure wins); later transactions roll back.
  void fail(ticket t, run_outcome outcome, apply_error e);
  // t failed outside the server's answer to one of its statements (`e`: a lost connection,
  // or a server error that was not a statement's): transient or permanent by its class.
  void fail_on(ticket t, const binrelay::error& e);
  void notify_workers();
  bool aborted(ticket t) const { return end_.outcome != run_outcome::stopped && t > failed_; }

  // --- optimistic mode (apply_optimistic.cpp) -----------------------------------------------
  // The configured mode as the downstream allows it (downstream_flavour.h); set by prepare().
  bool optimistic() const { return optimistic_; }
  void choose_parallel_mode();
  // Later transactions must give their locks up while the one held back retries.
  bool undoing(ticket t) const { return holdback_ && t > *holdback_; }
  enum class conflict_step { retry, not_a_conflict, aborted };
  // After t failed with `e` and was rolled back: whether (and when) to run it again.
  boost::asio::awaitable<conflict_step> settle_conflict(apply_worker& w, ticket t,
                                                        const apply_error& e, bool was_head);
  boost::asio::awaitable<bool> park(apply_worker& w, ticket t, bool until_head);
  boost::asio::awaitable<result<void>> restore_lock_waits(apply_worker& w);

  boost::asio::any_io_executor ex_;
  const applier_config& config_;
  const relay_log& log_;
  applier_status& status_;
  run_control& control_;
  std::vector<std::unique_ptr<apply_worker>> workers_;
  scheduler scheduler_;
  std::unique_ptr<relay_log_cursor> cursor_;
  std::deque<relay_transaction> queue_;  // from the oldest uncommitted transaction
  ticket queue_base_ = 0;
  boost::asio::steady_timer wake_;
  std::size_t busy_ = 0;
  run_end end_;
  ticket failed_ = 0;
  bool caught_up_ = false;       // shown in the status
  std::string published_state_;  // what publish_progress() last wrote
  std::int64_t published_pending_ = -1;
  std::uint32_t published_busy_ = 0;
  // Transactions after the resume position the downstream committed already (resume_scan.h).
  std::size_t already_committed_ = 0;
  bool carry_new_file_ = false;  // a skipped committed transaction began a relay file
  // The downstream logs GTIDs (MariaDB with log_bin; MySQL always): replay batches record
  // progress in their last transaction only, and a restart finds the others by their GTIDs.
  bool sparse_progress_ = false;
  // MySQL: @@gtid_executed when the run began; transactions in it are not applied again.
  gtid::gtid_set executed_at_start_;
  // Optimistic mode: the oldest uncommitted transaction, retrying after a lock conflict with
  // later ones; nothing starts and later ones stay rolled back until it commits.
  bool optimistic_ = false;
  std::optional<ticket> holdback_;
  std::size_t parked_ = 0;    // workers rolled back, waiting to run their transaction again
  std::uint64_t undone_ = 0;  // transactions rolled back and run again in this run
};

}  // namespace binrelay::applier
