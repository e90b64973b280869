#pragma once
// stop_deadline: a bound on how long binrelayd takes to stop after SIGTERM/SIGINT. Once
// armed, if the object is not destroyed within the limit (a peer that does not let go, a
// disk that does not answer), it logs that and ends the process with exit status 1 — as safe
// as a kill -9, which the relay store recovers from at the next start (docs/relay-store.md).
//
// arm() from any thread; destroy on the thread that created it.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace binrelay::daemon {

class stop_deadline {
 public:
  // `before_exit` runs on the deadline's thread just before the process ends (e.g. removes
  // the pid file); it must not block.
  stop_deadline(std::chrono::milliseconds limit, std::function<void()> before_exit);
  stop_deadline(const stop_deadline&) = delete;
  stop_deadline& operator=(const stop_deadline&) = delete;
  ~stop_deadline();  // disarms

  // Starts counting; later calls do nothing.
  void arm();

 private:
  void wait();

  std::chrono::milliseconds limit_;
  std::function<void()> before_exit_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace binrelay::daemon
