#include <catch2/catch.hpp>

#include "sql/lexer.h"
#include "sql/like.h"
#include "sql/parser.h"

using namespace binrelay;

using namespace binrelay::sql;

namespace {

struct parse_case {
  const char* sql;
  const char* tree;
};

void check_parses(const parse_case& c) {
  INFO(c.sql);
  auto s = parse_statement(c.sql);
  if (!s) FAIL(s.error().message);
  CHECK(to_string(*s) == c.tree);
}

struct error_case {
  const char* sql;
  std::uint16_t code;
  const char* message;
};

void check_fails(const error_case& c) {
  INFO(c.sql);
  auto s = parse_statement(c.sql);
  REQUIRE_FALSE(s);
  CHECK(s.error().server_errno == c.code);
  CHECK(s.error().message == c.message);
}

std::string near(std::string_view rest, int line = 1) {
  return fmt::format(
      "You have an error in your SQL syntax; check the manual that corresponds to your MySQL "
      "server version for the right syntax to use near '{}' at line {}",
      rest, line);
}

}  // namespace

TEST_CASE("sql_parser: every query of the MySQL 8.0.26+ replica connect sequence") {
  const parse_case cases[] = {
      {"SELECT UNIX_TIMESTAMP()", "(select UNIX_TIMESTAMP())"},
      {"SELECT @@GLOBAL.SERVER_ID", "(select @@global.server_id)"},
      {"SET @master_heartbeat_period = 30000000000, @source_heartbeat_period = 30000000000",
       "(set @master_heartbeat_period = 30000000000, @source_heartbeat_period = 30000000000)"},
      {"SET @master_binlog_checksum = @@global.binlog_checksum, @source_binlog_checksum = "
       "@@global.binlog_checksum",
       "(set @master_binlog_checksum = @@global.binlog_checksum, @source_binlog_checksum = "
       "@@global.binlog_checksum)"},
      {"SELECT @source_binlog_checksum", "(select @source_binlog_checksum)"},
      {"SELECT @@GLOBAL.GTID_MODE", "(select @@global.gtid_mode)"},
      {"SELECT @@GLOBAL.SERVER_UUID", "(select @@global.server_uuid)"},
      {"SET @slave_uuid = '3e11fa47-71ca-11e1-9e33-c80aa9429562', @replica_uuid = "
       "'3e11fa47-71ca-11e1-9e33-c80aa9429562'",
       "(set @slave_uuid = '3e11fa47-71ca-11e1-9e33-c80aa9429562', @replica_uuid = "
       "'3e11fa47-71ca-11e1-9e33-c80aa9429562')"},
      {"SELECT @@global.rpl_semi_sync_source_enabled",
       "(select @@global.rpl_semi_sync_source_enabled)"},
      {"SELECT @@global.rpl_semi_sync_master_enabled",
       "(select @@global.rpl_semi_sync_master_enabled)"},
      {"SHOW VARIABLES LIKE 'rpl_semi_sync_source_enabled'",
       "(show-variables like 'rpl_semi_sync_source_enabled')"},
      {"SET @rpl_semi_sync_replica = 1, @rpl_semi_sync_slave = 1",
       "(set @rpl_semi_sync_replica = 1, @rpl_semi_sync_slave = 1)"},
  };
  for (const auto& c : cases) check_parses(c);
}

TEST_CASE("sql_parser: pre-8.0.26 replica wording and Ripple's query table") {
  const parse_case cases[] = {
      {"SET @master_heartbeat_period= 30000000000", "(set @master_heartbeat_period = 30000000000)"},
      {"SET @master_binlog_checksum= @@global.binlog_checksum",
       "(set @master_binlog_checksum = @@global.binlog_checksum)"},
      {"SELECT @master_binlog_checksum", "(select @master_binlog_checksum)"},
      {"SET @slave_uuid= 'u'", "(set @slave_uuid = 'u')"},
      {"SHOW VARIABLES LIKE 'SERVER_ID'", "(show-variables like 'SERVER_ID')"},
      {"SHOW VARIABLES LIKE 'SERVER_UUID'", "(show-variables like 'SERVER_UUID')"},
      {"select @@version_comment limit 1", "(select @@version_comment limit 1)"},
      {"SELECT DATABASE()", "(select DATABASE())"},
      {"SELECT @@GLOBAL.gtid_domain_id", "(select @@global.gtid_domain_id)"},
      {"SELECT @@gtid_binlog_pos", "(select @@gtid_binlog_pos)"},
      {"SET NAMES latin1", "(set NAMES latin1)"},
      {"SELECT @@global.gtid_executed", "(select @@global.gtid_executed)"},
      {"SELECT @@GLOBAL.SERVER_UUID", "(select @@global.server_uuid)"},
  };
  for (const auto& c : cases) check_parses(c);
}

TEST_CASE("sql_parser: every query of the MariaDB replica connect sequence") {
  const parse_case cases[] = {
      {"SELECT UNIX_TIMESTAMP()", "(select UNIX_TIMESTAMP())"},
      {"SHOW VARIABLES LIKE 'SERVER_ID'", "(show-variables like 'SERVER_ID')"},
      {"SET @master_heartbeat_period= 1799999979520",
       "(set @master_heartbeat_period = 1799999979520)"},
      {"SET @master_binlog_checksum= @@global.binlog_checksum",
       "(set @master_binlog_checksum = @@global.binlog_checksum)"},
      {"SELECT @master_binlog_checksum", "(select @master_binlog_checksum)"},
      {"SET skip_replication=1", "(set @@skip_replication = 1)"},
      {"SET @mariadb_slave_capability=4", "(set @mariadb_slave_capability = 4)"},
      {"SELECT @@GLOBAL.gtid_domain_id", "(select @@global.gtid_domain_id)"},
      {"SET @slave_connect_state='0-1-100,1-2-5'", "(set @slave_connect_state = '0-1-100,1-2-5')"},
      {"SET @slave_gtid_strict_mode=1", "(set @slave_gtid_strict_mode = 1)"},
      {"SET @slave_gtid_ignore_duplicates=0", "(set @slave_gtid_ignore_duplicates = 0)"},
      {"SET @slave_until_gtid='0-1-200'", "(set @slave_until_gtid = '0-1-200')"},
      {"SELECT binlog_gtid_pos('mysql-bin.000001',4)",
       "(select BINLOG_GTID_POS('mysql-bin.000001', 4))"},
  };
  for (const auto& c : cases) check_parses(c);
}

TEST_CASE("sql_parser: SET forms") {
  const parse_case cases[] = {
      {"SET NAMES utf8mb4 COLLATE utf8mb4_general_ci",
       "(set NAMES utf8mb4 COLLATE utf8mb4_general_ci)"},
      {"SET NAMES 'utf8'", "(set NAMES utf8)"},
      {"SET CHARACTER SET utf8", "(set CHARACTER SET utf8)"},
      {"SET GLOBAL gtid_slave_pos = '0-1-5'", "(set @@global.gtid_slave_pos = '0-1-5')"},
      {"set session sql_mode = ''", "(set @@session.sql_mode = '')"},
      {"SET @@SESSION.autocommit = ON, @@local.wait_timeout := 28800",
       "(set @@session.autocommit = ON, @@session.wait_timeout = 28800)"},
      {"SET @@net_read_timeout = DEFAULT", "(set @@net_read_timeout = DEFAULT)"},
      {"SET @a = NULL, @b = -5, @c = @@version, @d = 'x' 'y'",
       "(set @a = NULL, @b = -5, @c = @@version, @d = 'xy')"},
      {"SET @`Quoted Name` = 1 + 2 * 3", "(set @quoted name = (+ 1 (* 2 3)))"},
  };
  for (const auto& c : cases) check_parses(c);
}

TEST_CASE("sql_parser: SELECT lists, aliases and functions") {
  const parse_case cases[] = {
      {"SELECT 1", "(select 1)"},
      {"SELECT 1, 'a', NULL, @x, @@session.time_zone",
       "(select 1, 'a', NULL, @x, @@session.time_zone)"},
      {"SELECT VERSION() AS v, CONNECTION_ID() id",
       "(select VERSION() AS v, CONNECTION_ID() AS id)"},
      {"SELECT @@version AS `the version`", "(select @@version AS the version)"},
      {"SELECT NOW() - INTERVAL 3 DAY", "(select (- NOW() INTERVAL(3, DAY)))"},
      {"select concat('a', \"b\") limit 10", "(select CONCAT('a', 'b') limit 10)"},
  };
  for (const auto& c : cases) check_parses(c);
  auto s = parse_statement("SELECT @@GLOBAL.SERVER_ID, UNIX_TIMESTAMP( ) AS t");
  REQUIRE(s);
  const auto& select = std::get<select_statement>(*s);
  CHECK(select.items[0].source_text == "@@GLOBAL.SERVER_ID");
  CHECK(select.items[1].source_text == "UNIX_TIMESTAMP( )");
  CHECK(select.items[1].alias == "t");
}

TEST_CASE("sql_parser: SHOW statements") {
  const parse_case cases[] = {
      {"SHOW VARIABLES", "(show-variables)"},
      {"SHOW GLOBAL VARIABLES LIKE 'gtid\\_%'", "(show-variables global like 'gtid\\\\_%')"},
      {"show session variables where Variable_name = 'server_id' or Variable_name LIKE 'x%'",
       "(show-variables session where (OR (= Variable_name 'server_id') (LIKE Variable_name "
       "'x%')))"},
      {"SHOW VARIABLES WHERE Variable_name IN ('a', 'b')",
       "(show-variables where (IN Variable_name ('a', 'b')))"},
      {"SHOW STATUS LIKE 'Ssl_cipher'", "(show-status like 'Ssl_cipher')"},
      {"show session status", "(show-status session)"},
      {"SHOW SLAVE STATUS", "(show-replica-status slave)"},
      {"SHOW REPLICA STATUS", "(show-replica-status replica)"},
      {"SHOW MASTER STATUS", "(show-master-status)"},
      {"SHOW BINARY LOG STATUS", "(show-master-status)"},
      {"SHOW BINARY LOGS", "(show-binary-logs)"},
      {"SHOW MASTER LOGS", "(show-binary-logs)"},
      {"SHOW BINLOG EVENTS", "(show-binlog-events)"},
      {"SHOW BINLOG EVENTS IN 'binlog.000002' FROM 4 LIMIT 2, 10",
       "(show-binlog-events in 'binlog.000002' from 4 offset 2 limit 10)"},
      {"SHOW BINLOG EVENTS LIMIT 5", "(show-binlog-events limit 5)"},
      {"SHOW SLAVE HOSTS", "(show-replicas slave)"},
      {"SHOW REPLICAS", "(show-replicas replica)"},
  };
  for (const auto& c : cases) check_parses(c);
}

TEST_CASE("sql_parser: replication administration statements") {
  const parse_case cases[] = {
      {"START SLAVE", "(start-replica slave)"},
      {"START REPLICA IO_THREAD", "(start-replica replica io_thread)"},
      {"STOP SLAVE SQL_THREAD", "(stop-replica slave sql_thread)"},
      {"STOP REPLICA IO_THREAD, SQL_THREAD", "(stop-replica replica)"},
      {"CHANGE MASTER TO MASTER_HOST='10.0.0.1', master_port=3306, MASTER_USE_GTID=slave_pos",
       "(change-source master MASTER_HOST = '10.0.0.1', MASTER_PORT = 3306, MASTER_USE_GTID = "
       "slave_pos)"},
      {"CHANGE REPLICATION SOURCE TO SOURCE_HOST = 'h', SOURCE_AUTO_POSITION = 1, "
       "IGNORE_SERVER_IDS = (1, 2)",
       "(change-source source SOURCE_HOST = 'h', SOURCE_AUTO_POSITION = 1, IGNORE_SERVER_IDS = "
       "(1, 2))"},
      {"FLUSH BINARY LOGS", "(flush-binary-logs)"},
      {"PURGE BINARY LOGS TO 'binlog.000010'", "(purge-binary-logs to 'binlog.000010')"},
      {"PURGE MASTER LOGS BEFORE '2026-01-01 00:00:00'",
       "(purge-binary-logs before '2026-01-01 00:00:00')"},
      {"PURGE BINARY LOGS BEFORE NOW() - INTERVAL 7 DAY",
       "(purge-binary-logs before (- NOW() INTERVAL(7, DAY)))"},
      {"RESET SLAVE", "(reset-replica slave)"},
      {"RESET REPLICA ALL", "(reset-replica replica all)"},
      {"BEGIN", "(begin)"},
      {"BEGIN WORK", "(begin)"},
      {"START TRANSACTION", "(begin)"},
      {"COMMIT", "(commit)"},
  };
  for (const auto& c : cases) check_parses(c);
}

TEST_CASE("sql_parser: comments, case, quoting and semicolons do not change the tree") {
  const parse_case cases[] = {
      {"  select   @@global.SERVER_ID ;", "(select @@global.server_id)"},
      {"/* hello */ SELECT /* inline */ 1 -- trailing\n", "(select 1)"},
      {"# shell-style\nSELECT 1 # after", "(select 1)"},
      {"/*!40101 SET NAMES utf8 */", "(set NAMES utf8)"},
      {"/*!80016 SET @a = 1 */ ;;", "(set @a = 1)"},
      {"/*M!100100 SELECT 1 */", "(select 1)"},
      {"SELECT `weird``name`", "(select weird`name)"},
      {"SELECT 'it''s', 'a\\'b', 'tab\\tx'", "(select 'it\\'s', 'a\\'b', 'tab\tx')"},
      {"SELECT 1--1", "(select (- 1 -1))"},
      {"sHoW sLaVe StAtUs", "(show-replica-status slave)"},
  };
  for (const auto& c : cases) check_parses(c);
}

TEST_CASE("sql_parser: errors use MySQL's numbers and wording") {
  const error_case cases[] = {
      {"", 1065, "Query was empty"},
      {" ; /* only a comment */", 1065, "Query was empty"},
      {"SELECT", 1064, ""},
      {"SET @a =", 1064, ""},
      {"SET @a 1", 1064, ""},
      {"SELECT 1; SELECT 2", 1064, ""},
      {"SELECT 'open", 1064, ""},
      {"SHOW BINLOG EVENTS FROM 'x'", 1064, ""},
      {"CHANGE MASTER TO MASTER_HOST", 1064, ""},
      {"FOO BAR", 1235, "This version of binrelay doesn't yet support 'FOO BAR'"},
      {"SHOW OPEN TABLES", 1235, "This version of binrelay doesn't yet support 'SHOW OPEN TABLES'"},
      {"SHOW ENGINE INNODB STATUS", 1235,
       "This version of binrelay doesn't yet support 'SHOW ENGINE INNODB'"},
      {"SELECT * FROM performance_schema.threads WHERE 1", 1235,
       "This version of binrelay doesn't yet support 'SELECT ... WHERE'"},
      {"insert into t values (1)", 1235,
       "This version of binrelay doesn't yet support 'insert into t'"},
      {"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", 1235,
       "This version of binrelay doesn't yet support 'SET SESSION TRANSACTION'"},
      {"RESET MASTER", 1235, "This version of binrelay doesn't yet support 'RESET MASTER'"},
  };
  for (const auto& c : cases) {
    if (c.message[0] != '\0') {
      check_fails(c);
    } else {
      INFO(c.sql);
      auto s = parse_statement(c.sql);
      REQUIRE_FALSE(s);
      CHECK(s.error().server_errno == c.code);
      CHECK_THAT(s.error().message, Catch::StartsWith("You have an error in your SQL syntax"));
    }
  }
}

TEST_CASE("sql_parser: a syntax error quotes the rest of the statement from the bad token") {
  check_fails({"SET @a 1", 1064, near("1").c_str()});
  check_fails({"SELECT 1; SELECT 2", 1064, near("SELECT 2").c_str()});
  check_fails({"SELECT", 1064, near("").c_str()});
  check_fails({"SELECT\n1 +\n", 1064, near("", 3).c_str()});
  check_fails({"SHOW BINLOG EVENTS FROM 'x' LIMIT 1", 1064, near("'x' LIMIT 1").c_str()});
  check_fails({"SELECT 'open", 1064, near("'open").c_str()});
  std::string longer = "SELECT 1 ) " + std::string(100, 'x');
  check_fails({longer.c_str(), 1064, near(") " + std::string(78, 'x')).c_str()});
}

TEST_CASE("sql_lexer: tokens carry kinds, unescaped text and offsets") {
  auto tokens = tokenize("SELECT @@global.x, @`v`, 'a''b', 0x1F, 1.5e3 /*!50000 , */");
  REQUIRE(tokens);
  std::vector<token_kind> kinds;
  for (const auto& t : *tokens) kinds.push_back(t.kind);
  using k = token_kind;
  CHECK(kinds == std::vector<k>{k::identifier, k::at_at, k::identifier, k::symbol, k::identifier,
                                k::symbol, k::user_variable, k::symbol, k::string, k::symbol,
                                k::number, k::symbol, k::number, k::symbol, k::end});
  CHECK((*tokens)[6].text == "v");
  CHECK((*tokens)[8].text == "a'b");
  CHECK((*tokens)[10].text == "0x1F");
  CHECK((*tokens)[12].text == "1.5e3");
  CHECK((*tokens)[1].offset == 7);
  CHECK((*tokens)[1].end_offset == 9);
}

TEST_CASE("sql_lexer: a dollar quote is a syntax error at its start, as in MySQL 9.7") {
  // The mysql 9.7 client sends `select $$` after connecting and needs this error.
  check_fails({"select $$", 1064, near("$$").c_str()});
  check_fails({"select $$abc$$", 1064, near("$$abc$$").c_str()});
  check_fails({"SELECT 1, $a$x$a$", 1064, near("$a$x$a$").c_str()});
  check_parses({"select 1 as $a", "(select 1 AS $a)"});
}

TEST_CASE("sql_lexer: an unterminated comment is a syntax error at its start") {
  auto tokens = tokenize("SELECT 1 /* never closed");
  REQUIRE_FALSE(tokens);
  CHECK(tokens.error().server_errno == 1064);
  CHECK_THAT(tokens.error().message, Catch::Contains("near '/* never closed' at line 1"));
}

TEST_CASE("sql_like: MySQL LIKE patterns, case-insensitive, with escapes") {
  struct row {
    const char* text;
    const char* pattern;
    bool match;
  };
  const row rows[] = {
      {"server_id", "SERVER_ID", true},
      {"server_id", "server%", true},
      {"server_uuid", "server\\_id", false},
      {"server_id", "server\\_id", true},
      {"serverXid", "server\\_id", false},
      {"serverXid", "server_id", true},
      {"gtid_mode", "%mode", true},
      {"gtid_mode", "%", true},
      {"", "%", true},
      {"", "_", false},
      {"abc", "a%c", true},
      {"abcbc", "a%bc", true},
      {"abcb", "a%bc", false},
      {"100%", "100\\%", true},
      {"1000", "100\\%", false},
      {"rpl_semi_sync_master_enabled", "rpl_semi_sync_%_enabled", true},
      {"version", "versio", false},
      {"versio", "version", false},
  };
  for (const auto& r : rows) {
    INFO(r.text << " LIKE " << r.pattern);
    CHECK(like_match(r.text, r.pattern) == r.match);
  }
  CHECK(like_match("a_b", "a|_b", '|'));
  CHECK_FALSE(like_match("axb", "a|_b", '|'));
}
