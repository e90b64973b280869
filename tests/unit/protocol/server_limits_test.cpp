// The pre-authentication limits, sans I/O: connection slots (server_admission.h) and the
// login-failure back-off (server_login_throttle.h).

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "protocol/server_admission.h"
#include "protocol/server_errors.h"
#include "protocol/server_login_throttle.h"

using namespace binrelay::protocol;
using namespace std::chrono_literals;

TEST_CASE("connection_slots: handshakes past max_unauthenticated are refused until one ends") {
  connection_slots slots({10, 2, {}});
  CHECK(slots.try_begin_handshake());
  CHECK(slots.try_begin_handshake());
  CHECK_FALSE(slots.try_begin_handshake());
  slots.end_handshake();
  CHECK(slots.try_begin_handshake());
  CHECK(slots.unauthenticated() == 2);
}

TEST_CASE("connection_slots: max_connections logins, then only a reserved user gets the extra") {
  connection_slots slots({2, 64, {"admin"}});
  CHECK(slots.try_login("repl"));
  CHECK(slots.try_login("repl"));
  CHECK_FALSE(slots.try_login("repl"));
  CHECK(slots.try_begin_handshake());  // the reserved slot is still free: greet
  slots.end_handshake();
  CHECK(slots.try_login("admin"));
  CHECK_FALSE(slots.try_login("admin"));
  CHECK_FALSE(slots.try_begin_handshake());  // everything taken: refuse at accept
  slots.logout();
  CHECK(slots.try_begin_handshake());
  CHECK(slots.logged_in() == 2);
}

TEST_CASE("connection_slots: without reserved users max_connections is the whole limit") {
  connection_slots slots({1, 64, {}});
  CHECK(slots.try_login("admin"));
  CHECK_FALSE(slots.try_login("admin"));
  CHECK_FALSE(slots.try_begin_handshake());
}

TEST_CASE("login_throttle: an address is blocked after max_failures, others are not") {
  login_throttle t({3, 60s, 100});
  auto now = login_throttle::clock::now();
  CHECK_FALSE(t.record_failure("10.0.0.1", now));
  CHECK_FALSE(t.record_failure("10.0.0.1", now));
  CHECK(t.allowed("10.0.0.1", now));
  CHECK(t.record_failure("10.0.0.1", now));  // starts the block: reported once
  CHECK_FALSE(t.allowed("10.0.0.1", now + 1s));
  CHECK_FALSE(t.record_failure("10.0.0.1", now + 2s));
  CHECK(t.allowed("10.0.0.2", now + 1s));
  CHECK(t.allowed("10.0.0.1", now + 61s));
}

TEST_CASE("login_throttle: failures spread beyond the window never block") {
  login_throttle t({3, 10s, 100});
  auto now = login_throttle::clock::now();
  for (int i = 0; i < 10; ++i) {
    CHECK_FALSE(t.record_failure("10.0.0.1", now + std::chrono::seconds(6 * i)));
  }
  CHECK(t.allowed("10.0.0.1", now + 60s));
}

TEST_CASE("login_throttle: a successful login forgets the address's failures") {
  login_throttle t({2, 60s, 100});
  auto now = login_throttle::clock::now();
  CHECK_FALSE(t.record_failure("10.0.0.1", now));
  t.record_success("10.0.0.1");
  CHECK_FALSE(t.record_failure("10.0.0.1", now));
  CHECK(t.allowed("10.0.0.1", now));
}

TEST_CASE("login_throttle: max_failures 0 turns it off") {
  login_throttle t({0, 60s, 100});
  auto now = login_throttle::clock::now();
  for (int i = 0; i < 100; ++i) CHECK_FALSE(t.record_failure("10.0.0.1", now));
  CHECK(t.allowed("10.0.0.1", now));
  CHECK(t.tracked() == 0);
}

TEST_CASE("login_throttle: at most max_tracked addresses, expired ones make room") {
  login_throttle t({5, 10s, 3});
  auto now = login_throttle::clock::now();
  for (int i = 0; i < 10; ++i) (void)t.record_failure("10.0.0." + std::to_string(i), now);
  CHECK(t.tracked() == 3);
  (void)t.record_failure("10.0.1.1", now + 11s);
  CHECK(t.tracked() == 1);
}

TEST_CASE("server errors: a client's user name or SQL is escaped and cut in the ERR message") {
  auto denied = access_denied(std::string(1 << 20, 'u'), "10.0.0.1", true);
  CHECK(denied.message.size() < 200);
  CHECK_THAT(denied.message, Catch::Contains("...(1048576 bytes)"));
  auto forged = access_denied("bob\nERROR forged", "10.0.0.1", false);
  CHECK(forged.message ==
        "Access denied for user 'bob\\nERROR forged'@'10.0.0.1' "
        "(using password: NO)");
  auto sql = not_supported_yet("SELECT 1;\n" + std::string(1000, 'x'));
  CHECK(sql.message.find('\n') == std::string::npos);
  CHECK(sql.message.size() < 400);
}
