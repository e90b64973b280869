// io_error_for_status: what SHOW SLAVE STATUS shows as Last_IO_Errno / Last_IO_Error.

#include <catch2/catch.hpp>

#include "relay/upstream_session.h"

using namespace binrelay;
using relay::failure_origin;

TEST_CASE("io_error_for_status: source and relay log failures map to MySQL's receiver errors") {
  error fdatasync{errc::io_error,
                  "relay log relay-bin.000003 at offset 4096: relay-bin.000003: fdatasync failed: "
                  "Input/output error (errno 5)"};
  error network{errc::io_error, "cannot read from 127.0.0.1:3306: Connection reset by peer"};
  error gone{errc::server_error, "ERROR 1236 (HY000): Could not find first log file name", 1236};
  error checksum{errc::checksum_mismatch, "relay log relay-bin.000003: bad CRC32"};
  // Checks errno and text separately, so a failure prints both.
  auto check = [](const error& e, failure_origin origin, std::uint32_t errno_value,
                  const std::string& text) {
    auto [got_errno, got_text] = relay::io_error_for_status(e, origin);
    CHECK(got_errno == errno_value);
    CHECK(got_text == text);
  };
  SECTION("a relay log io_error is a relay log write failure") {
    check(fdatasync, failure_origin::relay_log, 1595,
          "Relay log write failure: " + fdatasync.describe());
  }
  SECTION("the same code from the connection is a network failure") {
    check(network, failure_origin::source, 2003, network.describe());
  }
  SECTION("ERR 1236 from the source") {
    check(gone, failure_origin::source, 13114,
          "Got fatal error 1236 from source when reading data from binary log: "
          "'Could not find first log file name'");
  }
  SECTION("a relay log error other than io_error keeps the general mapping") {
    check(checksum, failure_origin::relay_log, 2003, checksum.describe());
  }
}
