#include <catch2/catch.hpp>

#include "protocol/response_packets.h"
#include "protocol/text_result_set.h"
#include "unit/protocol/hex.h"

using namespace binrelay;
using namespace binrelay::protocol;
using binrelay::test::from_hex;

TEST_CASE("response_packets: OK, ERR and EOF round trip byte-exactly") {
  SECTION("OK with info") {
    auto bytes = from_hex("00 01 fc0001 0200 0100 616263");
    auto ok = parse_ok_packet(bytes);
    REQUIRE(ok);
    CHECK(*ok == ok_packet{1, 256, 2, 1, "abc"});
    CHECK(build_ok_packet(*ok) == bytes);
  }
  SECTION("OK ending a result set under DEPRECATE_EOF") {
    auto bytes = from_hex("fe 00 00 2200 0000");
    auto ok = parse_ok_packet(bytes);
    REQUIRE(ok);
    CHECK(ok->status_flags == 0x22);
    CHECK(build_ok_packet(*ok, 0xFE) == bytes);
  }
  SECTION("ERR with SQL state") {
    // ERROR 1045 (28000): Access denied
    auto bytes = from_hex("ff 1504 23 3238303030 4163636573732064656e696564");
    auto err = parse_err_packet(bytes);
    REQUIRE(err);
    CHECK(*err == err_packet{1045, "28000", "Access denied"});
    CHECK(err->describe() == "ERROR 1045 (28000): Access denied");
    CHECK(build_err_packet(*err) == bytes);
    auto e = err->to_error("server 127.0.0.1:3306");
    CHECK(e.code == errc::server_error);
    CHECK(e.server_errno == 1045);
    CHECK(e.message == "server 127.0.0.1:3306: ERROR 1045 (28000): Access denied");
  }
  SECTION("ERR without SQL state (sent before the handshake)") {
    auto bytes = from_hex("ff 1004 546f6f206d616e79");
    auto err = parse_err_packet(bytes);
    REQUIRE(err);
    CHECK(*err == err_packet{1040, "", "Too many"});
    CHECK(build_err_packet(*err) == bytes);
  }
  SECTION("EOF") {
    auto bytes = from_hex("fe 0000 0200");
    auto eof = parse_eof_packet(bytes);
    REQUIRE(eof);
    CHECK(*eof == eof_packet{0, 2});
    CHECK(build_eof_packet(*eof) == bytes);
  }
}

TEST_CASE("response_packets: truncated packets are refused") {
  CHECK(parse_ok_packet(from_hex("00 01 fc00")).error().code == errc::truncated);
  CHECK(parse_ok_packet(from_hex("ff 0000 0000")).error().code == errc::protocol_error);
  CHECK(parse_err_packet(from_hex("ff 15")).error().code == errc::truncated);
  CHECK(parse_err_packet(from_hex("ff 1504 23 3238")).error().code == errc::truncated);
  CHECK(parse_eof_packet(from_hex("fe 00")).error().code == errc::truncated);
  CHECK(parse_eof_packet(from_hex("fe 0000 0000 0000 0000")).error().code == errc::protocol_error);
}

namespace {

query_result two_column_answer() {
  query_result a;
  column_definition c1;
  c1.name = "Variable_name";
  c1.org_name = "VARIABLE_NAME";
  c1.schema = "information_schema";
  c1.charset = 33;
  c1.column_length = 192;
  c1.type = 0xfd;
  c1.flags = 1;
  column_definition c2 = c1;
  c2.name = "Value";
  a.columns = {c1, c2};
  a.rows = {{"server_id", "1"}, {"x", std::nullopt}, {"", ""}};
  a.ok.status_flags = 0x0002;
  return a;
}

query_result read_all(const std::vector<std::vector<std::uint8_t>>& packets, bool deprecate_eof) {
  query_response_reader reader(deprecate_eof);
  for (std::size_t i = 0; i < packets.size(); ++i) {
    auto done = reader.on_packet(packets[i]);
    REQUIRE(done);
    CHECK(*done == (i + 1 == packets.size()));
  }
  return reader.answer();
}

}  // namespace

TEST_CASE("text_result_set: column definition byte layout") {
  column_definition c;
  c.name = "a";
  c.charset = 63;
  c.column_length = 21;
  c.type = 8;
  c.flags = 0x81;
  auto bytes = build_column_definition(c);
  CHECK(bytes == from_hex("03646566 00 00 00 0161 00 0c 3f00 15000000 08 8100 00 0000"));
  auto parsed = parse_column_definition(bytes);
  REQUIRE(parsed);
  CHECK(*parsed == c);
  for (std::size_t n = 0; n < bytes.size() - 2; ++n) {
    CHECK_FALSE(parse_column_definition(bytes_view(bytes).first(n)));
  }
}

TEST_CASE("text_result_set: rows with NULL round trip") {
  text_row row{"1", std::nullopt, "", std::string(300, 'x')};
  auto bytes = build_text_row(row);
  CHECK(bytes[0] == 0x01);
  CHECK(bytes[2] == 0xFB);
  auto parsed = parse_text_row(bytes, 4);
  REQUIRE(parsed);
  CHECK(*parsed == row);
  CHECK(parse_text_row(bytes, 5).error().code == errc::truncated);
  CHECK(parse_text_row(bytes, 3).error().code == errc::corrupt);
}

TEST_CASE("text_result_set: whole answers round trip with and without DEPRECATE_EOF") {
  for (bool deprecate_eof : {false, true}) {
    DYNAMIC_SECTION("deprecate_eof=" << deprecate_eof) {
      auto answer = two_column_answer();
      auto packets = build_query_response(answer, deprecate_eof);
      CHECK(packets.size() == 1 + 2 + (deprecate_eof ? 0 : 1) + 3 + 1);
      auto got = read_all(packets, deprecate_eof);
      CHECK(got.columns == answer.columns);
      CHECK(got.rows == answer.rows);
      CHECK(got.ok.status_flags == 0x0002);
      CHECK(build_query_response(got, deprecate_eof) == packets);
    }
  }
}

TEST_CASE("text_result_set: an OK answer has no columns") {
  query_result answer;
  answer.ok.affected_rows = 3;
  auto packets = build_query_response(answer, true);
  REQUIRE(packets.size() == 1);
  auto got = read_all(packets, true);
  CHECK_FALSE(got.is_result_set());
  CHECK(got.ok.affected_rows == 3);
}

TEST_CASE("text_result_set: an ERR answer is a server error") {
  query_response_reader reader(false);
  auto r = reader.on_packet(build_err_packet({1193, "HY000", "Unknown system variable 'x'"}));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::server_error);
  CHECK(r.error().server_errno == 1193);
  CHECK_THAT(r.error().message, Catch::EndsWith("ERROR 1193 (HY000): Unknown system variable 'x'"));
}

TEST_CASE("text_result_set: a malformed row fails the answer") {
  auto packets = build_query_response(two_column_answer(), false);
  packets[4] = from_hex("05 6162");  // says 5 bytes, has 2
  query_response_reader reader(false);
  for (int i = 0; i < 4; ++i) REQUIRE(reader.on_packet(packets[i]));
  auto r = reader.on_packet(packets[4]);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::truncated);
}

TEST_CASE("text_result_set: COM_QUERY carries the SQL as is") {
  auto bytes = build_com_query("SELECT 1");
  CHECK(bytes == from_hex("03 53454c4543542031"));
  auto sql = parse_com_query(bytes);
  REQUIRE(sql);
  CHECK(*sql == "SELECT 1");
  CHECK_FALSE(parse_com_query(from_hex("01")));
}
