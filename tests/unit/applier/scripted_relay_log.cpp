#include "unit/applier/scripted_relay_log.h"

#include <algorithm>
#include <stdexcept>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace binrelay::test {
namespace asio = boost::asio;

class scripted_relay_log::cursor : public applier::relay_log_cursor {
 public:
  cursor(const scripted_relay_log& log, std::size_t next) : log_(log), next_(next) {
    update_position();
  }

  result<std::optional<binlog::transaction>> next() override {
    if (next_ >= log_.txns_.size()) return std::optional<binlog::transaction>();
    if (log_.throw_at_ == next_) {
      log_.throw_at_.reset();
      throw std::runtime_error("scripted relay log failure");
    }
    binlog::transaction t = log_.txns_[next_++];
    update_position();
    return std::optional<binlog::transaction>(std::move(t));
  }
  const binlog::log_position& position() const override { return position_; }

 private:
  void update_position() {
    if (next_ < log_.txns_.size()) {
      position_ = {log_.txns_[next_].file, log_.txns_[next_].start_offset};
    } else if (!log_.txns_.empty()) {
      position_ = {log_.txns_.back().file, log_.txns_.back().end_offset};
    }
  }

  const scripted_relay_log& log_;
  std::size_t next_;
  binlog::log_position position_;
};

void scripted_relay_log::append(std::vector<binlog::transaction> txns) {
  for (auto& t : txns) txns_.push_back(std::move(t));
  ++generation_;
  for (auto* w : waiters_) w->cancel();
}

std::unique_ptr<applier::relay_log_cursor> scripted_relay_log::open(
    const binlog::log_position& start) const {
  ++opened_;
  last_opened_at_ = start;
  auto at_or_after = [&](const binlog::transaction& t) {
    return start.file.empty() || t.file > start.file ||
           (t.file == start.file && t.start_offset >= start.offset);
  };
  auto first = std::find_if(txns_.begin(), txns_.end(), at_or_after);
  return std::make_unique<cursor>(*this, static_cast<std::size_t>(first - txns_.begin()));
}

asio::awaitable<void> scripted_relay_log::wait_for_more(std::uint64_t seen,
                                                        std::chrono::milliseconds timeout) const {
  if (generation_ != seen) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor, timeout);
  waiters_.push_back(&timer);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &timer));
}

}  // namespace binrelay::test
