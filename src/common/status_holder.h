#pragma once
// status_holder: one status snapshot struct behind a mutex — what a worker (the upstream
// session, the applier) publishes and the admin port reads (upstream_status.h,
// applier_status.h).
//
// Thread-safe: any thread may update or take a snapshot.

#include <mutex>

namespace binrelay {

template <class Snapshot>
class status_holder {
 public:
  Snapshot snapshot() const {
    std::lock_guard lock(mutex_);
    return s_;
  }
  // Runs `fn(Snapshot&)` under the lock.
  template <class Fn>
  void update(Fn&& fn) {
    std::lock_guard lock(mutex_);
    fn(s_);
  }

 private:
  mutable std::mutex mutex_;
  Snapshot s_;
};

}  // namespace binrelay
