#include "support/mysql_group.h"

#include <signal.h>

#include <cstdio>
#include <random>
#include <stdexcept>
#include <thread>

#include "support/mariadb_server.h"

namespace binrelay::test {
namespace {

std::string random_uuid() {
  std::random_device rd;
  unsigned char b[16];
  for (auto& x : b) x = static_cast<unsigned char>(rd());
  b[6] = (b[6] & 0x0F) | 0x40;
  b[8] = (b[8] & 0x3F) | 0x80;
  char text[40];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return text;
}

constexpr const char* recovery_password = "gr-Recovery-1";

}  // namespace

std::vector<std::string> mysql_group::member_args(std::size_t i) const {
  std::string seeds;
  for (auto p : xcom_ports_)
    seeds += (seeds.empty() ? "" : ",") + ("127.0.0.1:" + std::to_string(p));
  return {"--performance-schema=ON",
          "--report-host=127.0.0.1",
          "--plugin-load-add=group_replication.so",
          "--loose-group-replication-group-name=" + name_,
          "--loose-group-replication-local-address=127.0.0.1:" + std::to_string(xcom_ports_[i]),
          "--loose-group-replication-group-seeds=" + seeds,
          "--loose-group-replication-ip-allowlist=127.0.0.1/8",
          "--loose-group-replication-start-on-boot=OFF",
          "--loose-group-replication-recovery-get-public-key=ON",
          "--loose-group-replication-member-expel-timeout=" + std::to_string(expel_timeout_s_),
          "--loose-group-replication-autorejoin-tries=0",
          "--loose-group-replication-unreachable-majority-timeout=0"};
}

mysql_group::mysql_group(std::size_t size, int expel_timeout_s)
    : name_(random_uuid()), expel_timeout_s_(expel_timeout_s) {
  for (std::size_t i = 0; i < size; ++i) xcom_ports_.push_back(free_port());
  paused_.assign(size, false);
  for (std::size_t i = 0; i < size; ++i) {
    mysql_options o;
    o.server_id = static_cast<std::uint32_t>(101 + i);
    o.extra_args = member_args(i);
    members_.push_back(std::make_unique<mysql_server>(o));
    prepare(i);
  }
  members_[0]->query(
      "SET GLOBAL group_replication_bootstrap_group=ON; START GROUP_REPLICATION; "
      "SET GLOBAL group_replication_bootstrap_group=OFF;");
  for (std::size_t i = 1; i < size; ++i) join(i);
  if (!wait_online(size, 0, std::chrono::seconds(90)))
    throw std::runtime_error("the group did not form within 90 s; see " +
                             members_[0]->error_log().string());
}

// The recovery user and channel, and no GTIDs of its own (the binrelay user mysql_server
// created was logged under the member's uuid; a joiner with those could not join).
void mysql_group::prepare(std::size_t i) {
  members_[i]->query(
      std::string("SET SQL_LOG_BIN=0; CREATE USER gr_recovery@'%' IDENTIFIED BY '") +
      recovery_password +
      "'; GRANT REPLICATION SLAVE, GROUP_REPLICATION_STREAM, CONNECTION_ADMIN, BACKUP_ADMIN "
      "ON *.* TO gr_recovery@'%'; SET SQL_LOG_BIN=1; RESET BINARY LOGS AND GTIDS; "
      "CHANGE REPLICATION SOURCE TO SOURCE_USER='gr_recovery', SOURCE_PASSWORD='" +
      recovery_password + "' FOR CHANNEL 'group_replication_recovery';");
}

void mysql_group::join(std::size_t i) {
  members_[i]->query("START GROUP_REPLICATION");
}

std::string mysql_group::state_of(std::size_t i, std::size_t asked) const {
  return members_[asked]->scalar(
      "SELECT MEMBER_STATE FROM performance_schema.replication_group_members WHERE MEMBER_PORT=" +
      std::to_string(members_[i]->port()));
}

bool mysql_group::wait_online(std::size_t count, std::size_t asked,
                              std::chrono::seconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      auto n = members_[asked]->scalar(
          "SELECT COUNT(*) FROM performance_schema.replication_group_members "
          "WHERE MEMBER_STATE='ONLINE'");
      if (n == std::to_string(count)) return true;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return false;
}

int mysql_group::primary() const {
  for (std::size_t asked = 0; asked < members_.size(); ++asked) {
    if (!members_[asked]->running() || paused_[asked]) continue;
    try {
      auto port = members_[asked]->scalar(
          "SELECT MEMBER_PORT FROM performance_schema.replication_group_members "
          "WHERE MEMBER_ROLE='PRIMARY' AND MEMBER_STATE='ONLINE' AND "
          "(SELECT COUNT(*) FROM performance_schema.replication_group_members WHERE "
          "MEMBER_STATE='ONLINE') * 2 > (SELECT COUNT(*) FROM "
          "performance_schema.replication_group_members)");
      for (std::size_t i = 0; i < members_.size(); ++i) {
        if (std::to_string(members_[i]->port()) == port) return int(i);
      }
    } catch (const std::exception&) {
    }
  }
  return -1;
}

int mysql_group::wait_new_primary(int old, std::chrono::seconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int p = primary();
    if (p >= 0 && p != old) return p;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return -1;
}

mysql_group::~mysql_group() {
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (paused_[i]) resume(i);
  }
}

void mysql_group::pause(std::size_t i) {
  ::kill(members_[i]->pid(), SIGSTOP);
  paused_[i] = true;
}

void mysql_group::resume(std::size_t i) {
  ::kill(members_[i]->pid(), SIGCONT);
  paused_[i] = false;
}
void mysql_group::restart(std::size_t i) {
  members_[i]->start();
}

}  // namespace binrelay::test
