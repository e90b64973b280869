#include "unit/applier/applier_harness.h"

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <catch2/catch.hpp>

#include "unit/applier/fixture_transactions.h"

namespace binrelay::test {

std::vector<binlog::transaction> parallel_transactions(std::size_t count) {
  auto txns = fixture_transactions(mariadb_rows_fixture, "relay-bin.000001", 1);
  REQUIRE(!txns.empty());
  return group_commit_copies(txns.front(), count, 101, 7);
}

std::vector<std::string> gtids_in_order(std::size_t count) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < count; ++i) out.push_back(fmt::format("0-1-{}", 101 + i));
  return out;
}

applier_harness::applier_harness() {
  config.host = "127.0.0.1";
  config.port = fake.port();
  config.user = fake_downstream::user;
  config.password = fake_downstream::password;
  config.tls = protocol::tls_mode::disabled;
  config.workers = 4;
  config.method = applier::apply_method::text;
  config.max_retries = 3;
  config.previous_session_wait_s = 1;
  config.reconnect_delay = std::chrono::milliseconds(1);
  config.max_reconnect_delay = std::chrono::milliseconds(4);
  fake.add_table("toddy_test", "outbox", {"id", "topic", "event_type", "event", "created"});
}

applier_harness::~applier_harness() {
  fake.stop();
  if (applier_) applier_->stop();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((!fake.stopped() || (applier_ && !run_returned)) &&
         std::chrono::steady_clock::now() < deadline) {
    ctx.run_one_for(std::chrono::milliseconds(50));
    if (ctx.stopped()) ctx.restart();
  }
}

void applier_harness::start() {
  applier_ = std::make_unique<applier::applier>(ctx.get_executor(), config, log, status);
  boost::asio::co_spawn(ctx, applier_->run(), [this](std::exception_ptr e) {
    run_returned = true;
    run_error = e;
  });
}

void applier_harness::run_until(const std::function<bool()>& done, const std::string& what,
                                const std::function<void()>& each_step,
                                std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) FAIL("timed out waiting until " << what);
    ctx.run_one_for(std::chrono::milliseconds(50));
    if (ctx.stopped()) ctx.restart();
    if (each_step) each_step();
  }
}

void applier_harness::run_until_applied(std::size_t n, const std::function<void()>& each_step) {
  REQUIRE(n <= log.transactions().size());
  auto applied = [&] {
    return fake.commits().size() >= n &&
           snapshot().relay_log_pos == log.transactions()[n - 1].end_offset;
  };
  run_until(applied, fmt::format("{} transactions applied", n), each_step);
}

}  // namespace binrelay::test
