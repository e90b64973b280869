// admin_handler over a fake daemon state: every admin statement's answer, column list and
// refusal, and the control calls it makes.

#include <catch2/catch.hpp>

#include "admin/handler.h"
#include "admin/server_status.h"
#include "support/fixtures.h"
#include "unit/admin/fake_admin_state.h"

using namespace binrelay;
using namespace binrelay::admin;
using binrelay::test::fake_admin_state;

namespace {

const std::string kingbus_dir = "flike__kingbus/tools/test_data/binlog";

protocol::query_result result_of(admin_handler& h, const std::string& sql) {
  auto a = h.answer(sql);
  if (auto* err = std::get_if<protocol::err_packet>(&a))
    FAIL(sql << ": ERR " << err->error_code << " " << err->message);
  return std::get<protocol::query_result>(a);
}

protocol::err_packet error_of(admin_handler& h, const std::string& sql) {
  auto a = h.answer(sql);
  REQUIRE(std::holds_alternative<protocol::err_packet>(a));
  return std::get<protocol::err_packet>(a);
}

// Column name -> value of a one-row result.
std::map<std::string, std::optional<std::string>> row_map(const protocol::query_result& r) {
  REQUIRE(r.rows.size() == 1);
  std::map<std::string, std::optional<std::string>> m;
  for (std::size_t i = 0; i < r.columns.size(); ++i) m[r.columns[i].name] = r.rows[0][i];
  return m;
}

relay::gtid_state mysql_gtids(const std::string& text) {
  relay::gtid_state g;
  g.mysql = *gtid::gtid_set::parse(text);
  return g;
}

fake_admin_state following_primary() {
  fake_admin_state s;
  s.src.host = "10.0.0.5";
  s.src.port = 3307;
  s.src.user = "repl";
  s.up.running = relay::io_running::yes;
  s.up.state = "Waiting for source to send event";
  s.up.source_server_id = 7;
  s.up.source_uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  s.up.caught_up = true;
  s.st.end = {"relay-bin.000002", 1234};
  s.st.upstream = {"mysql-bin.000009", 5678};
  s.st.retrieved = mysql_gtids("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-20");
  s.st.files = {{"relay-bin.000001", 1, 1000, {}, 0, 100},
                {"relay-bin.000002", 2, 1234, {}, 0, 200}};
  return s;
}

}  // namespace

TEST_CASE("admin: SHOW SLAVE STATUS has MySQL 8.0's 60 columns in order with the relay's values") {
  auto state = following_primary();
  admin_handler h(state);
  auto r = result_of(h, "show slave status");
  REQUIRE(r.columns.size() == 60);
  CHECK(r.columns[0].name == "Slave_IO_State");
  CHECK(r.columns[10].name == "Slave_IO_Running");
  CHECK(r.columns[32].name == "Seconds_Behind_Master");
  CHECK(r.columns[40].name == "Master_UUID");
  CHECK(r.columns[51].name == "Retrieved_Gtid_Set");
  CHECK(r.columns[59].name == "Network_Namespace");
  auto m = row_map(r);
  CHECK(m["Slave_IO_State"] == "Waiting for source to send event");
  CHECK(m["Master_Host"] == "10.0.0.5");
  CHECK(m["Master_Port"] == "3307");
  CHECK(m["Master_User"] == "repl");
  CHECK(m["Master_Log_File"] == "mysql-bin.000009");
  CHECK(m["Read_Master_Log_Pos"] == "5678");
  CHECK(m["Relay_Log_File"] == "relay-bin.000002");
  CHECK(m["Relay_Log_Pos"] == "1234");
  CHECK(m["Slave_IO_Running"] == "Yes");
  CHECK(m["Slave_SQL_Running"] == "No");
  CHECK(m["Relay_Log_Space"] == "2234");
  CHECK(m["Seconds_Behind_Master"] == "0");
  CHECK(m["Master_Server_Id"] == "7");
  CHECK(m["Master_UUID"] == "3e11fa47-71ca-11e1-9e33-c80aa9429562");
  CHECK(m["Retrieved_Gtid_Set"] == "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-20");
  CHECK(m["Executed_Gtid_Set"] == "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-20");
  CHECK(m["Auto_Position"] == "1");
  CHECK(m["SQL_Remaining_Delay"] == std::nullopt);
}

TEST_CASE("admin: SHOW REPLICA STATUS uses the Replica_/Source_ wording") {
  auto state = following_primary();
  admin_handler h(state);
  auto r = result_of(h, "SHOW REPLICA STATUS");
  REQUIRE(r.columns.size() == 60);
  CHECK(r.columns[0].name == "Replica_IO_State");
  CHECK(r.columns[1].name == "Source_Host");
  CHECK(r.columns[9].name == "Relay_Source_Log_File");
  CHECK(r.columns[32].name == "Seconds_Behind_Source");
  CHECK(r.columns[44].name == "Replica_SQL_Running_State");
  CHECK(r.columns[58].name == "Get_Source_public_key");
}

TEST_CASE("admin: IO errors, connecting state and lag") {
  auto state = following_primary();
  state.up.running = relay::io_running::connecting;
  state.up.last_io_errno = 13114;
  state.up.last_io_error =
      "Got fatal error 1236 from source when reading data from binary log: 'x'";
  state.up.last_io_error_unix = 1700000000;
  admin_handler h(state);
  auto m = row_map(result_of(h, "SHOW SLAVE STATUS"));
  CHECK(m["Slave_IO_Running"] == "Connecting");
  CHECK(m["Last_IO_Errno"] == "13114");
  CHECK(m["Last_IO_Error"] == state.up.last_io_error);
  CHECK(m["Last_IO_Error_Timestamp"]->size() == 15);
  CHECK(m["Seconds_Behind_Master"] == std::nullopt);

  state.up.running = relay::io_running::yes;
  state.up.caught_up = false;
  state.up.last_event_unix = std::time(nullptr) - 30;
  auto lag = std::stoi(*row_map(result_of(h, "SHOW SLAVE STATUS"))["Seconds_Behind_Master"]);
  CHECK(lag >= 29);
  CHECK(lag <= 32);
}

TEST_CASE("admin: the SQL thread columns come from the applier snapshot") {
  auto state = following_primary();
  state.ap.configured = true;
  state.ap.running = false;
  state.ap.relay_log_file = "relay-bin.000001";
  state.ap.relay_log_pos = 400;
  state.ap.source_log_file = "binlog.000007";
  state.ap.exec_source_log_pos = 300;
  state.ap.executed = mysql_gtids("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
  state.ap.last_sql_errno = 1032;
  state.ap.last_sql_error = "Could not execute Update_rows event";
  state.ap.last_sql_error_unix = 1700000000;
  admin_handler h(state);
  auto m = row_map(result_of(h, "SHOW SLAVE STATUS"));
  CHECK(m["Slave_SQL_Running"] == "No");
  CHECK(m["Relay_Log_File"] == "relay-bin.000001");
  CHECK(m["Relay_Log_Pos"] == "400");
  CHECK(m["Relay_Master_Log_File"] == "binlog.000007");
  CHECK(m["Exec_Master_Log_Pos"] == "300");
  CHECK(m["Executed_Gtid_Set"] == "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
  CHECK(m["Last_Errno"] == "1032");
  CHECK(m["Last_SQL_Errno"] == "1032");
  CHECK(m["Last_SQL_Error"] == "Could not execute Update_rows event");
  CHECK(m["Seconds_Behind_Master"] == std::nullopt);
  CHECK(result_of(h, "SELECT @@gtid_executed").rows[0][0] ==
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
}

TEST_CASE("admin: SHOW MASTER STATUS and SHOW BINARY LOGS describe the relay log") {
  auto state = following_primary();
  admin_handler h(state);
  auto m = row_map(result_of(h, "SHOW MASTER STATUS"));
  CHECK(m["File"] == "relay-bin.000002");
  CHECK(m["Position"] == "1234");
  CHECK(m["Executed_Gtid_Set"] == "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-20");
  auto logs = result_of(h, "SHOW BINARY LOGS");
  REQUIRE(logs.rows.size() == 2);
  CHECK(logs.columns[1].name == "File_size");
  CHECK(logs.rows[1][0] == "relay-bin.000002");
  CHECK(logs.rows[1][1] == "1234");
  CHECK(result_of(h, "SHOW MASTER LOGS").rows.size() == 2);
}

TEST_CASE("admin: SHOW BINLOG EVENTS reads a real binlog with IN, FROM and LIMIT") {
  fake_admin_state state;
  state.dir = test::fixtures_dir() / kingbus_dir;
  state.st.files = {{"mysql_bin.000011", 11, 6312, {}, 0, 0}};
  admin_handler h(state);
  auto all = result_of(h, "SHOW BINLOG EVENTS");
  REQUIRE(all.columns.size() == 6);
  REQUIRE(all.rows.size() > 10);
  CHECK(all.rows[0][1] == "4");
  CHECK(all.rows[0][2] == "Format_desc");
  CHECK(all.rows[0][5]->rfind("Server ver: 5.7.23-log, Binlog ver: 4", 0) == 0);
  CHECK(all.rows[2][5]->rfind("SET @@SESSION.GTID_NEXT= '", 0) == 0);
  auto some = result_of(h, "SHOW BINLOG EVENTS IN 'mysql_bin.000011' FROM 610 LIMIT 1, 2");
  REQUIRE(some.rows.size() == 2);
  CHECK(some.rows[0][1] == "658");
  CHECK(some.rows[0][4] == "709");
  CHECK(some.rows[0][5] == "table_id: 253 flags: STMT_END_F");
  CHECK(some.rows[1][5] == "table_id: 253 (ks.stu)");
  CHECK(error_of(h, "SHOW BINLOG EVENTS FROM 611").error_code == 1220);
  CHECK(error_of(h, "SHOW BINLOG EVENTS IN 'nope.000001'").error_code == 1220);
}

TEST_CASE("admin: START/STOP SLAVE control the IO and SQL threads") {
  auto state = following_primary();
  admin_handler h(state);
  result_of(h, "STOP SLAVE IO_THREAD");
  result_of(h, "START REPLICA SQL_THREAD");
  result_of(h, "STOP SLAVE");
  result_of(h, "START SLAVE");
  CHECK(state.calls == std::vector<std::string>{"stop_io", "start_sql", "stop_io", "stop_sql",
                                                "start_io", "start_sql"});
}

TEST_CASE("admin: CHANGE MASTER TO needs a stopped IO thread and keeps the password apart") {
  auto state = following_primary();
  admin_handler h(state);
  auto running = error_of(h, "CHANGE MASTER TO MASTER_HOST='10.0.0.6'");
  CHECK(running.error_code == 3021);
  result_of(h, "STOP SLAVE");
  result_of(h,
            "CHANGE MASTER TO MASTER_HOST='10.0.0.6', MASTER_PORT=3308, MASTER_USER='r2', "
            "MASTER_PASSWORD='s3cret', MASTER_SSL=1, MASTER_SSL_CA='/ca.pem', "
            "MASTER_AUTO_POSITION=1, MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=10");
  CHECK(state.src.host == "10.0.0.6");
  CHECK(state.src.port == 3308);
  CHECK(state.src.user == "r2");
  CHECK(state.src.tls.mode == protocol::tls_mode::required);
  CHECK(state.src.tls.ca_file == "/ca.pem");
  CHECK(state.src.connect_retry_s == 10);
  CHECK(state.password == "s3cret");
  result_of(h, "CHANGE REPLICATION SOURCE TO SOURCE_PORT=3309");
  CHECK(state.src.port == 3309);
  CHECK(state.src.host == "10.0.0.6");
  auto m = row_map(result_of(h, "SHOW SLAVE STATUS"));
  CHECK(m["Master_Host"] == "10.0.0.6");
  CHECK(m["Master_SSL_Allowed"] == "Yes");
  for (const auto& [name, value] : m) CHECK((!value || value->find("s3cret") == std::string::npos));

  CHECK(error_of(h, "CHANGE MASTER TO MASTER_PORT=70000").error_code == 1210);
  CHECK(error_of(h, "CHANGE MASTER TO MASTER_HOST=5").error_code == 1210);
  CHECK(error_of(h, "CHANGE MASTER TO MASTER_AUTO_POSITION=0").error_code == 1210);
  auto unknown = error_of(h, "CHANGE MASTER TO MASTER_DELAY=5");
  CHECK(unknown.error_code == 1235);
  CHECK(unknown.message.find("MASTER_DELAY") != std::string::npos);
  CHECK(state.src.port == 3309);
}

TEST_CASE("admin: CHANGE MASTER TO refuses an empty or malformed host, port 0 and a huge user") {
  auto state = following_primary();
  admin_handler h(state);
  result_of(h, "STOP SLAVE");
  const auto before = state.src;
  for (const char* sql : {"CHANGE MASTER TO MASTER_HOST=''", "CHANGE MASTER TO MASTER_HOST='a b'",
                          "CHANGE MASTER TO MASTER_HOST='a\nb'", "CHANGE MASTER TO MASTER_PORT=0",
                          "CHANGE REPLICATION SOURCE TO SOURCE_PORT=0"}) {
    INFO(sql);
    auto e = error_of(h, sql);
    CHECK(e.error_code == 1210);
    CHECK(e.message.rfind("Incorrect arguments to ", 0) == 0);
  }
  CHECK(error_of(h, "CHANGE MASTER TO MASTER_HOST='" + std::string(256, 'h') + "'").error_code ==
        1210);
  CHECK(error_of(h, "CHANGE MASTER TO MASTER_USER='" + std::string(200, 'u') + "'").error_code ==
        1210);
  CHECK(state.src == before);
}

TEST_CASE("admin: FLUSH and PURGE BINARY LOGS, a file in use stops the purge") {
  auto state = following_primary();
  state.st.files.push_back({"relay-bin.000003", 3, 10, {}, 0, 300});
  admin_handler h(state);
  result_of(h, "FLUSH BINARY LOGS");
  CHECK(state.calls.back() == "rotate");
  CHECK(error_of(h, "PURGE BINARY LOGS TO 'relay-bin.000009'").error_code == 1373);
  state.purgeable = 1;
  auto in_use = error_of(h, "PURGE BINARY LOGS TO 'relay-bin.000003'");
  CHECK(in_use.error_code == 1378);
  CHECK(in_use.message.find("relay-bin.000002") != std::string::npos);
  state.purgeable = 99;
  result_of(h, "PURGE MASTER LOGS TO 'relay-bin.000003'");
  CHECK(state.st.files.size() == 1);
  CHECK(error_of(h, "PURGE BINARY LOGS BEFORE 12").error_code == 1210);
}

TEST_CASE("admin: PURGE BINARY LOGS BEFORE purges files last written before the time") {
  auto state = following_primary();
  state.st.files[0].last_write_unix = 1000;        // 1970
  state.st.files[1].last_write_unix = 4102444800;  // 2100
  admin_handler h(state);
  result_of(h, "PURGE BINARY LOGS BEFORE '2020-01-01 00:00:00'");
  CHECK(state.calls.back() == "purge_to relay-bin.000002");
}

TEST_CASE("admin: RESET SLAVE [ALL] needs stopped threads") {
  auto state = following_primary();
  admin_handler h(state);
  CHECK(error_of(h, "RESET SLAVE").error_code == 1198);
  result_of(h, "STOP SLAVE");
  result_of(h, "RESET SLAVE ALL");
  CHECK(state.calls.back() == "reset_all");
}

TEST_CASE("admin: SHOW SLAVE HOSTS and SHOW REPLICAS list the registry") {
  auto state = following_primary();
  state.reps = {{11, "replica-a", 3306, 4242, "uuid-a", "relay-bin.000002", 900, 3}};
  admin_handler h(state);
  auto legacy = result_of(h, "SHOW SLAVE HOSTS");
  CHECK(legacy.columns[0].name == "Server_id");
  CHECK(legacy.columns[4].name == "Slave_UUID");
  REQUIRE(legacy.rows.size() == 1);
  CHECK(legacy.rows[0] == protocol::text_row{"11", "replica-a", "3306", "4242", "uuid-a",
                                             "relay-bin.000002", "900", "3"});
  CHECK(result_of(h, "SHOW REPLICAS").columns[4].name == "Replica_UUID");
}

TEST_CASE("admin: variables, session SET, and errors naming what is unsupported") {
  auto state = following_primary();
  admin_handler h(state);
  auto r = result_of(h, "select @@version_comment limit 1");
  CHECK(r.rows[0][0] == "binrelay");
  auto ids = result_of(h, "SELECT @@server_id, @@server_uuid, @@gtid_purged, @@version");
  CHECK(ids.rows[0] == protocol::text_row{"4242", state.id.server_uuid, "", "8.0.36-binrelay"});
  result_of(h, "SET NAMES utf8mb4");
  CHECK(error_of(h, "SET GLOBAL sql_slave_skip_counter=1").message.find("sql_slave_skip_counter") !=
        std::string::npos);
  auto open_tables = error_of(h, "SHOW OPEN TABLES");
  CHECK(open_tables.error_code == 1235);
  CHECK(open_tables.message.find("SHOW OPEN TABLES") != std::string::npos);
  CHECK(error_of(h, "SHOW BINLOG EVENTS FROM 'x'").error_code == 1064);
}

TEST_CASE("admin: the replication user's connection refuses admin statements with 1227") {
  relay::replica_queries replica([] { return std::map<std::string, std::string>{}; }, {});
  for (const char* sql : {"SHOW SLAVE STATUS", "STOP SLAVE", "CHANGE MASTER TO MASTER_HOST='x'",
                          "PURGE BINARY LOGS TO 'f'", "FLUSH BINARY LOGS", "SHOW BINARY LOGS",
                          "SHOW PROCESSLIST", "KILL 3", "SHUTDOWN"}) {
    auto a = replica.answer(sql);
    REQUIRE(std::holds_alternative<protocol::err_packet>(a));
    CHECK(std::get<protocol::err_packet>(a).error_code == 1227);
    CHECK(std::get<protocol::err_packet>(a).sql_state == "42000");
  }
  auto unsupported = replica.answer("SHOW OPEN TABLES");
  CHECK(std::get<protocol::err_packet>(unsupported).error_code == 1235);
}

TEST_CASE(
    "admin: the replication user's SET of a GLOBAL variable is denied (1227), an unknown session "
    "variable is 1193, what replicas send is accepted") {
  relay::replica_queries replica([] { return std::map<std::string, std::string>{}; }, {});
  auto code = [&](const std::string& sql) -> int {
    auto a = replica.answer(sql);
    auto* e = std::get_if<protocol::err_packet>(&a);
    return e ? e->error_code : 0;
  };
  CHECK(code("SET GLOBAL read_only = 1") == 1227);
  CHECK(code("SET @@global.gtid_slave_pos = '0-1-1'") == 1227);
  CHECK(code("SET @x = 1, GLOBAL max_connections = 1") == 1227);
  CHECK_FALSE(replica.user_variable("x"));  // nothing of a refused SET is kept
  auto unknown = replica.answer("SET SESSION no_such_variable = 1");
  REQUIRE(std::holds_alternative<protocol::err_packet>(unknown));
  CHECK(std::get<protocol::err_packet>(unknown).error_code == 1193);
  CHECK(std::get<protocol::err_packet>(unknown).message ==
        "Unknown system variable 'no_such_variable'");
  for (const char* sql :
       {"SET @master_heartbeat_period = 1000000000, @source_heartbeat_period = 1000000000",
        "SET NAMES latin1", "SET skip_replication = 1", "SET @mariadb_slave_capability = 4",
        "SET SESSION autocommit = 1, sql_mode = ''", "SET @@session.wait_timeout = 600"}) {
    INFO(sql);
    CHECK(code(sql) == 0);
  }
}

TEST_CASE("admin: @@version is the configured one, else the primary's, else the FDE's") {
  fake_admin_state state;
  admin_handler none(state);
  CHECK(result_of(none, "SELECT @@version").rows[0][0] == "8.0.36-binrelay");

  state.dir = test::fixtures_dir() / kingbus_dir;
  state.st.files = {{"mysql_bin.000011", 11, 6312, {}, 0, 0}};
  admin_handler stored(state);
  CHECK(result_of(stored, "SELECT VERSION()").rows[0][0] == "5.7.23-log");

  state.id.upstream_version = [] { return std::string("10.11.6-MariaDB-log"); };
  admin_handler live(state);
  CHECK(result_of(live, "SELECT @@version").rows[0][0] == "10.11.6-MariaDB-log");
  auto vars = result_of(live, "SHOW VARIABLES LIKE 'version'");
  CHECK(vars.rows[0] == protocol::text_row{"version", "10.11.6-MariaDB-log"});

  state.id.version = "10.11.99-MariaDB";
  admin_handler configured(state);
  CHECK(result_of(configured, "SELECT @@version").rows[0][0] == "10.11.99-MariaDB");
}

TEST_CASE("admin: SHOW STATUS lists the session's TLS state, USER() names the session") {
  fake_admin_state state;
  admin_handler h(state);
  CHECK(result_of(h, "SHOW STATUS LIKE 'Ssl_cipher'").rows.empty());
  h.set_session({"admin",
                 "10.1.2.3",
                 {{"Ssl_cipher", "TLS_AES_256_GCM_SHA384"}, {"Ssl_version", "TLSv1.3"}}});
  auto cipher = result_of(h, "SHOW SESSION STATUS LIKE 'ssl\\_cipher'");
  REQUIRE(cipher.rows.size() == 1);
  CHECK(cipher.rows[0] == protocol::text_row{"Ssl_cipher", "TLS_AES_256_GCM_SHA384"});
  CHECK(result_of(h, "SHOW STATUS LIKE 'Ssl%'").rows.size() == 2);
  CHECK(error_of(h, "SHOW STATUS WHERE Variable_name = 'x'").error_code == 1235);
  auto who = result_of(h, "select DATABASE(), USER(), CURRENT_USER() limit 1");
  CHECK(who.rows[0] == protocol::text_row{std::nullopt, "admin@10.1.2.3", "admin@%"});
}

TEST_CASE(
    "admin: SHOW GLOBAL STATUS counts damaged relay log ranges, duplicate GTIDs and IO retries") {
  fake_admin_state state = following_primary();
  admin_handler h(state);
  auto zero = result_of(h, "SHOW GLOBAL STATUS LIKE 'Binrelay_relay_log_damaged_ranges'");
  REQUIRE(zero.rows.size() == 1);
  CHECK(zero.rows[0][1] == "0");

  state.st.verification.damaged.push_back(
      {"relay-bin.000005", 1200, 1337, "event at offset 1337 (Write_rows) fails its CRC32 check"});
  state.st.verification.duplicate_gtids = 840;
  state.st.verification.first_duplicate =
      relay::duplicate_gtid{"3e11fa47-71ca-11e1-9e33-c80aa9429562:17", "relay-bin.000009", 4242};
  state.up.retries = 3;
  state.up.retry_delay_ms = 4000;
  auto all = result_of(h, "SHOW GLOBAL STATUS LIKE 'Binrelay%'");
  std::map<std::string, std::string> m;
  for (const auto& row : all.rows) m[*row[0]] = *row[1];
  CHECK(m["Binrelay_relay_log_damaged_ranges"] == "1");
  CHECK(m["Binrelay_relay_log_first_damage"] ==
        "relay-bin.000005 at 1337: event at offset 1337 (Write_rows) fails its CRC32 check");
  CHECK(m["Binrelay_relay_log_duplicate_gtids"] == "840");
  CHECK(m["Binrelay_relay_log_first_duplicate"] ==
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:17 in relay-bin.000009 at 4242");
  CHECK(m["Binrelay_io_retries"] == "3");
  CHECK(m["Binrelay_io_retry_delay_ms"] == "4000");
}

TEST_CASE(
    "admin: presenting MariaDB, SHOW SLAVE STATUS has MariaDB 10.11's columns, SHOW ALL "
    "SLAVES STATUS its 62") {
  auto state = following_primary();
  state.id.version = "10.11.6-MariaDB";
  admin_handler h(state);
  for (const char* sql : {"SHOW SLAVE STATUS", "SHOW REPLICA STATUS"}) {
    auto r = result_of(h, sql);
    REQUIRE(r.columns.size() == 54);
    CHECK(r.columns[0].name == "Slave_IO_State");
    CHECK(r.columns[42].name == "Using_Gtid");
    CHECK(r.columns[43].name == "Gtid_IO_Pos");
    CHECK(r.columns[53].name == "Replicate_Rewrite_DB");
  }
  auto all = result_of(h, "SHOW ALL SLAVES STATUS");
  REQUIRE(all.columns.size() == 62);
  CHECK(all.columns[0].name == "Connection_name");
  CHECK(all.columns[61].name == "Gtid_Slave_Pos");
}

TEST_CASE("admin: monitoring variables, SELECT 1+1, SHOW PROCESSLIST and KILL of an unknown id") {
  auto state = following_primary();
  admin_handler h(state);
  auto r = result_of(h, "SELECT @@hostname, @@log_bin, @@global.read_only, 1+1");
  CHECK_FALSE(r.rows[0][0]->empty());
  CHECK(r.rows[0][1] == "1");
  CHECK(r.rows[0][2] == "1");
  CHECK(r.rows[0][3] == "2");
  CHECK(result_of(h, "SHOW VARIABLES LIKE 'log_bin'").rows[0][1] == "ON");
  // orchestrator's discovery queries
  auto o = result_of(h,
                     "select @@global.hostname, ifnull(@@global.report_host, ''), "
                     "@@global.server_id, @@global.read_only, @@global.log_slave_updates, "
                     "@@global.master_info_repository = 'TABLE', @@global.binlog_row_image");
  CHECK(o.rows[0][1] == "");
  CHECK(o.rows[0][2] == "4242");
  CHECK(o.rows[0][3] == "1");
  CHECK(o.rows[0][4] == "1");
  CHECK(o.rows[0][5] == "1");
  CHECK(o.rows[0][6] == "FULL");
  CHECK(result_of(h, "SELECT 'a' <> 'A', NULL = 1").rows[0] ==
        protocol::text_row{"0", std::nullopt});
  h.set_connection_id(7);
  auto p = result_of(h, "SHOW FULL PROCESSLIST");
  REQUIRE(p.columns.size() == 8);
  CHECK(p.rows.front()[4] == "Slave_IO");
  CHECK(p.rows.back()[7] == "SHOW FULL PROCESSLIST");
  CHECK(error_of(h, "KILL 42").error_code == 1094);
  CHECK(error_of(h, "KILL QUERY 42").error_code == 1235);
  CHECK(result_of(h, "SELECT page_size FROM information_schema.innodb_cmp").rows.empty());
  CHECK(error_of(h, "SELECT * FROM mysql.user").error_code == 1235);
  auto uptime = result_of(h, "SHOW GLOBAL STATUS LIKE 'Uptime'");
  REQUIRE(uptime.rows.size() == 1);
  CHECK(uptime.rows[0][0] == "Uptime");
}

TEST_CASE("admin: KILL of the IO or SQL thread's id stops it, other admin sessions are listed") {
  auto state = following_primary();
  state.ap.configured = true;
  state.ap.running = true;
  state.admin_sessions->add({4, "admin", "10.0.0.9", std::chrono::steady_clock::now()});
  admin_handler h(state);
  h.set_connection_id(9);
  auto p = result_of(h, "SHOW PROCESSLIST");
  REQUIRE(p.rows.size() == 4);  // IO, SQL, the other session, this one: by id
  CHECK(p.rows[0][0] == std::to_string(admin::io_thread_id));
  CHECK(p.rows[1][0] == std::to_string(admin::sql_thread_id));
  CHECK(p.rows[2] ==
        protocol::text_row{"4", "admin", "10.0.0.9", std::nullopt, "Sleep", "0", "", std::nullopt});
  CHECK(p.rows[3][0] == "9");

  result_of(h, "KILL " + std::to_string(admin::sql_thread_id));
  CHECK(state.calls == std::vector<std::string>{"stop_sql"});
  result_of(h, "KILL CONNECTION " + std::to_string(admin::io_thread_id));
  CHECK(state.calls == std::vector<std::string>{"stop_sql", "stop_io"});
  // Stopped threads are not listed, and their ids are unknown like any other.
  CHECK(error_of(h, "KILL " + std::to_string(admin::io_thread_id)).error_code == 1094);
}
