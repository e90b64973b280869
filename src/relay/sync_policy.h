#pragma once
// When the relay store makes appended transactions durable (fdatasync), and the background
// task that does it for the interval policy. docs/relay-store.md, "Durability".
//
//   per_transaction: before a complete transaction becomes visible to readers, it is synced.
//                    Transactions appended in one append_batch() share one fdatasync (group
//                    commit), so a burst costs one sync, not one per transaction.
//   interval:        a background thread syncs every `interval` when something was written;
//                    readers may see (and replicas receive) data a crash can still lose.
//   none:            only rotation and close sync.
// Rotation always syncs the closed file, the new file's header and the index.
//
// A failed background sync is not retried: after a failed fdatasync the kernel may have
// dropped the dirty pages, so a later "successful" one proves nothing. The store keeps the
// error and fails every later append, flush and rotate with it (relay_store.h) until it is
// reopened, when recovery keeps what actually reached the disk.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace binrelay::relay {

enum class sync_mode { none, per_transaction, interval };

struct sync_policy {
  sync_mode mode = sync_mode::per_transaction;
  std::chrono::milliseconds interval{1000};  // for sync_mode::interval
  // Test hook: called instead of fdatasync(2) on the relay log files (every policy, rotation
  // and flush() included) to inject failures: return -1 with errno set. Empty in production.
  // (`{}` lets `{mode, interval}` leave it out without -Wmissing-field-initializers.)
  std::function<int(int fd)> fdatasync{};
};

// Runs `task` every `period` on its own thread until destroyed (the destructor stops and
// joins, waiting for a running task to return). `task` must be thread-safe with respect to
// everything else its owner does.
class periodic_task {
 public:
  periodic_task(std::chrono::milliseconds period, std::function<void()> task);
  ~periodic_task();
  periodic_task(const periodic_task&) = delete;
  periodic_task& operator=(const periodic_task&) = delete;

 private:
  void run();

  std::chrono::milliseconds period_;
  std::function<void()> task_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace binrelay::relay
