#pragma once
// Test helper: an applier (applier/applier.h) applying a scripted relay log to a fake
// downstream, all on one io_context that the test thread runs step by step until a condition
// holds (run_until), so that tests wait for states, never for fixed times.

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "applier/applier.h"
#include "unit/applier/fake_downstream.h"
#include "unit/applier/scripted_relay_log.h"

namespace binrelay::test {

// The real MariaDB row transactions the applier tests copy (toddy_test.outbox inserts).
inline constexpr const char* mariadb_rows_fixture =
    "blackbeam__rust_mysql_common/test-data/binlogs/mariadb-bin.000001";

// `count` copies of the fixture's first transaction, GTIDs 0-1-101, 0-1-102, ..., in one
// group commit of relay file relay-bin.000001.
std::vector<binlog::transaction> parallel_transactions(std::size_t count);
// "0-1-101", ... "0-1-<100 + count>".
std::vector<std::string> gtids_in_order(std::size_t count);

class applier_harness {
 public:
  // The applier's configuration: 4 workers, SQL text, 3 retries, retry delays of milliseconds.
  applier_harness();
  // Stops the applier and the fake and lets both finish.
  ~applier_harness();

  applier::applier_config config;
  boost::asio::io_context ctx;
  fake_downstream fake{ctx.get_executor()};
  scripted_relay_log log;
  applier::applier_status status;

  // Creates the applier from `config` and spawns its run().
  void start();
  applier::applier& app() { return *applier_; }
  applier::applier_snapshot snapshot() const { return status.snapshot(); }
  // True once run() returned; `run_error` holds what escaped it (nothing should).
  bool run_returned = false;
  std::exception_ptr run_error;

  // Runs the io_context one handler at a time, calling `each_step` after each, until `done`
  // holds; fails the test (naming `what`) after `timeout`.
  void run_until(const std::function<bool()>& done, const std::string& what,
                 const std::function<void()>& each_step = {},
                 std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Waits until the fake recorded `n` commits and the applier's status shows the n-th
  // transaction of the relay log applied.
  void run_until_applied(std::size_t n, const std::function<void()>& each_step = {});

 private:
  std::unique_ptr<applier::applier> applier_;
};

}  // namespace binrelay::test
