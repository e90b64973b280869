#pragma once
// A real MySQL 9.7 Group Replication group for tests: `size` mysql_server members on loopback
// (XCom on free ports, report_host 127.0.0.1), single-primary mode, bootstrapped on member 0,
// the others joining with distributed recovery through a `gr_recovery` user (REPLICATION
// SLAVE, GROUP_REPLICATION_STREAM, CONNECTION_ADMIN, BACKUP_ADMIN). A member not heard from
// for 5 s is suspected; with `expel_timeout_s` 0 it is expelled at once, otherwise at MySQL's
// first 15-s suspicion check after `expel_timeout_s` (docs/failover.md). Every member
// has the `binrelay` user of mysql_server (all privileges, so it may read
// performance_schema.replication_group_members). Not thread-safe.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/mysql_server.h"

namespace binrelay::test {

class mysql_group {
 public:
  explicit mysql_group(std::size_t size = 3, int expel_timeout_s = 1);

  std::size_t size() const { return members_.size(); }
  mysql_server& member(std::size_t i) { return *members_.at(i); }
  const std::string& name() const { return name_; }

  // The PRIMARY as the majority sees it, asked of running members; -1 when none is ONLINE.
  int primary() const;
  // MEMBER_STATE of member `i` in the view of member `asked`.
  std::string state_of(std::size_t i, std::size_t asked) const;
  // Waits until `count` members are ONLINE in the view of member `asked`; false on timeout.
  bool wait_online(std::size_t count, std::size_t asked,
                   std::chrono::seconds timeout = std::chrono::seconds(60)) const;
  // Waits until a PRIMARY other than `old` is ONLINE; its index, or -1 on timeout.
  int wait_new_primary(int old, std::chrono::seconds timeout = std::chrono::seconds(60)) const;

  ~mysql_group();              // resumes paused members so that they can be stopped
  void pause(std::size_t i);   // SIGSTOP: the member stops answering, its sockets stay open
  void resume(std::size_t i);  // SIGCONT
  // Restarts a killed member without joining the group (group_replication_start_on_boot=OFF).
  void restart(std::size_t i);
  // START GROUP_REPLICATION on member `i` (it must be running).
  void join(std::size_t i);

 private:
  std::vector<std::string> member_args(std::size_t i) const;
  void prepare(std::size_t i);

  std::string name_;
  int expel_timeout_s_;
  std::vector<std::uint16_t> xcom_ports_;
  std::vector<std::unique_ptr<mysql_server>> members_;
  std::vector<bool> paused_;  // SIGSTOPped: never asked (the client would hang)
};

}  // namespace binrelay::test
