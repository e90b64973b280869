#pragma once
// An admin_state over plain values for admin_handler tests (pure logic, no daemon): readings
// are fields the test sets, control calls are recorded and change the fields as the daemon
// would.

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "admin/state.h"

namespace binrelay::test {

class fake_admin_state : public admin::admin_state {
 public:
  relay::serve_identity id{4242, "5b0e0a4c-9a52-4a2a-8b8e-4f3f0a6c7d11", "", "binrelay"};
  relay::upstream_snapshot up;
  applier::applier_snapshot ap;
  std::shared_ptr<admin::admin_sessions> admin_sessions = std::make_shared<admin::admin_sessions>();
  relay::store_snapshot st;
  relay::source_settings src;
  std::optional<std::string> password;
  std::vector<admin::replica_info> reps;
  std::filesystem::path dir = "/nonexistent";
  std::vector<std::string> calls;
  std::size_t purgeable = std::numeric_limits<std::size_t>::max();  // files before one in use

  const relay::serve_identity& identity() const override { return id; }
  relay::upstream_snapshot upstream() const override { return up; }
  applier::applier_snapshot applier() const override { return ap; }
  admin::admin_sessions* sessions() override { return admin_sessions.get(); }
  const admin::admin_sessions* sessions() const override { return admin_sessions.get(); }
  relay::store_snapshot store() const override { return st; }
  std::filesystem::path relay_directory() const override { return dir; }
  std::vector<admin::replica_info> replicas() const override { return reps; }
  relay::source_settings source() const override { return src; }

  result<void> start_io() override {
    calls.push_back("start_io");
    up.running = relay::io_running::yes;
    return {};
  }
  result<void> stop_io() override {
    calls.push_back("stop_io");
    up.running = relay::io_running::no;
    return {};
  }
  result<void> start_sql() override {
    calls.push_back("start_sql");
    return {};
  }
  result<void> stop_sql() override {
    calls.push_back("stop_sql");
    return {};
  }
  result<void> skip_transaction(const std::string& gtid) override {
    calls.push_back("skip " + gtid);
    return {};
  }
  result<void> change_source(const relay::source_settings& s,
                             const std::optional<std::string>& pw) override {
    calls.push_back("change_source");
    src = s;
    if (pw) password = pw;
    return {};
  }
  result<void> rotate() override {
    calls.push_back("rotate");
    return {};
  }
  result<std::size_t> purge_to(std::string_view file) override {
    calls.push_back("purge_to " + std::string(file));
    std::size_t n = 0;
    while (n < st.files.size() && st.files[n].name != file && n < purgeable) ++n;
    st.files.erase(st.files.begin(), st.files.begin() + static_cast<std::ptrdiff_t>(n));
    return n;
  }
  result<void> reset_replica(bool all) override {
    calls.push_back(all ? "reset_all" : "reset");
    return {};
  }
};

}  // namespace binrelay::test
