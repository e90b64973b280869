// CHANGE MASTER TO settings persisted in the data directory.

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "relay/source_settings.h"
#include "support/processes.h"

using namespace binrelay;
using namespace binrelay::relay;

TEST_CASE("source settings: saved settings and password load back, the password file is 0600") {
  test::temp_dir dir;
  REQUIRE(load_source_settings(dir.path())->has_value() == false);
  REQUIRE(load_source_password(dir.path())->has_value() == false);
  source_settings s;
  s.host = "db2.example";
  s.port = 3310;
  s.user = "repl";
  s.tls.mode = protocol::tls_mode::required;
  s.tls.ca_file = "/etc/ca.pem";
  s.tls.verify_server_cert = true;
  s.use_gtid = "current_pos";
  s.connect_retry_s = 7;
  REQUIRE(save_source_settings(dir.path(), s));
  REQUIRE(save_source_password(dir.path(), "pw with spaces"));
  CHECK(**load_source_settings(dir.path()) == s);
  CHECK(**load_source_password(dir.path()) == "pw with spaces");
  struct stat st {};
  REQUIRE(::stat((dir.path() / "source-password").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(remove_source_settings(dir.path()));
  CHECK(load_source_settings(dir.path())->has_value() == false);
}

TEST_CASE("source settings: a bad line is an error naming file and line") {
  test::temp_dir dir;
  REQUIRE(write_file_durably(dir.path() / "source.conf", "host = a\nport = many\n"));
  auto r = load_source_settings(dir.path());
  REQUIRE(!r);
  CHECK(r.error().message.find("source.conf line 2") != std::string::npos);
}

TEST_CASE("source settings: applied over the command line's upstream configuration") {
  relay::upstream_config c;
  c.endpoints = {{"a", 1}, {"b", 2}};
  c.user = "u";
  c.password = "p";
  source_settings s = settings_from_config(c);
  CHECK(s.host == "a");
  CHECK(s.port == 1);
  s.host = "z";
  auto applied = apply_settings(c, s);
  REQUIRE(applied.endpoints.size() == 1);
  CHECK(applied.endpoints[0].host == "z");
  CHECK(applied.password == "p");
}
