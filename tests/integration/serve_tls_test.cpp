// binrelayd's serving port over TLS (--ssl-cert, --ssl-key, --require-secure-transport) with
// real clients: a MariaDB replica with MASTER_SSL=1 verifying binrelayd's certificate, the
// mariadb client as the admin user, and caching_sha2_password's full authentication over TLS
// for the replication user (mariadb-binlog fetching the relay log).

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <sstream>

#include "integration/admin_client.h"
#include "integration/relay_harness.h"
#include "integration/serve_support.h"
#include "integration/test_pki.h"

using namespace binrelay::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

constexpr const char* admin_password = "Adm1n-tls";

// binrelayd's TLS flags with the test PKI's server certificate; TLS required.
std::vector<std::string> tls_args(const test_pki& pki, const temp_dir& secrets,
                                  std::vector<std::string> more = {}) {
  auto admin_file = secrets.path() / "admin-password";
  std::ofstream(admin_file) << admin_password << "\n";
  std::vector<std::string> args = {"--ssl-cert=" + pki.file("server.pem"),
                                   "--ssl-key=" + pki.file("server.key"),
                                   "--require-secure-transport", "--admin-user=admin",
                                   "--admin-password-file=" + admin_file.string()};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// mariadb client options that verify binrelayd's certificate against the test CA.
std::string verified_tls(const test_pki& pki) {
  return "--ssl --ssl-ca=" + pki.file("ca.pem") + " --ssl-verify-server-cert";
}

// The Value of a two-column SHOW ... LIKE answer printed by the mariadb client with headers.
std::string shown_value(const std::string& output, const std::string& name) {
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(name + "\t", 0) == 0) return line.substr(name.size() + 1);
  }
  return "";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("serve tls: a MariaDB replica with MASTER_SSL=1 replicates from binrelayd over TLS",
          "[serve][tls]") {
  test_pki pki;
  temp_dir secrets;
  mariadb_server primary;
  serving_relay s(primary, tls_args(pki, secrets), 20);
  mariadb_server replica({11, true, {}});
  follow_relay(replica, s.port,
               ", MASTER_SSL=1, MASTER_SSL_CA='" + pki.file("ca.pem") +
                   "', MASTER_SSL_VERIFY_SERVER_CERT=1");
  write_rows(primary, 20, 40);
  bool at = wait_replica_at(replica, primary.scalar("SELECT @@gtid_binlog_pos"));
  INFO(replica_report(replica) << "\n" << s.relay.log());
  REQUIRE(at);
  CHECK(slave_status(replica, "Master_SSL_Allowed") == "Yes");
  CHECK(slave_status(replica, "Master_SSL_Verify_Server_Cert") == "Yes");
  CHECK(slave_status(replica, "Using_Gtid") == "Slave_Pos");
  CHECK(table_checksums(replica, "t") == table_checksums(primary, "t"));

  // TLS is required: the same replica without MASTER_SSL is refused, so the rows above did
  // come over TLS.
  mariadb_server plain({12, true, {}});
  follow_relay(plain, s.port, ", MASTER_SSL=0");
  CHECK_THAT(wait_io_error(plain, "insecure transport"),
             Catch::Contains("Connections using insecure transport are prohibited"));
  CHECK(s.relay.terminate() == 0);
}

TEST_CASE("serve tls: the mariadb client runs SHOW SLAVE STATUS over TLS and sees its cipher",
          "[serve][tls]") {
  test_pki pki;
  temp_dir secrets;
  mariadb_server primary;
  serving_relay s(primary, tls_args(pki, secrets), 10);
  auto log = [&] { return s.relay.log(); };
  admin_client admin(s.port, "admin", admin_password, log, verified_tls(pki));

  std::string status = admin.sql("SHOW SLAVE STATUS\\G");
  CHECK_THAT(status, Catch::Contains("Slave_IO_Running: Yes"));
  CHECK_THAT(status, Catch::Contains("Gtid_IO_Pos: " + primary.scalar("SELECT @@gtid_binlog_pos")));

  std::string cipher = shown_value(admin.sql("SHOW STATUS LIKE 'Ssl_cipher'"), "Ssl_cipher");
  CHECK_FALSE(cipher.empty());
  CHECK_THAT(shown_value(admin.sql("SHOW SESSION STATUS LIKE 'Ssl_version'"), "Ssl_version"),
             Catch::StartsWith("TLSv1."));
  // What the client itself negotiated (its `status` command) is the cipher the server reports.
  CHECK_THAT(admin.sql("status"), Catch::Contains("Cipher in use is " + cipher));

  admin_client without_tls(s.port, "admin", admin_password, log, "--skip-ssl");
  CHECK_THROWS_WITH(without_tls.sql("SELECT 1"), Catch::Contains("ERROR 3159"));
  admin_client other_ca(s.port, "admin", admin_password, log,
                        "--ssl --ssl-ca=" + pki.file("other-ca.pem") + " --ssl-verify-server-cert");
  CHECK_THROWS(other_ca.sql("SELECT 1"));
  CHECK(s.relay.terminate() == 0);
}

TEST_CASE("serve tls: caching_sha2_password full authentication over TLS for the replication user",
          "[serve][tls]") {
  test_pki pki;
  temp_dir secrets;
  mariadb_server primary;
  serving_relay s(primary, tls_args(pki, secrets, {"--repl-auth-plugin=caching_sha2_password"}),
                  30);
  std::string login =
      " -h127.0.0.1 -P" + std::to_string(s.port) + " -u" + repl_user + " -p" + repl_password + " ";

  // The first login of the user is a full authentication: its password goes over TLS.
  temp_dir out;
  run_command("mariadb-binlog --read-from-remote-server" + login + verified_tls(pki) +
              " --raw --result-file=" + (out.path() / "raw-").string() + " relay-bin.000001");
  auto relay_log = relay_files(s.relay.data_dir()).front();
  std::string fetched = read_file(out.path() / ("raw-" + relay_log.filename().string()));
  std::string stored = read_file(relay_log);
  REQUIRE(fetched.size() > 4 + 17);
  fetched[4 + 17] = stored[4 + 17];  // the FDE's in-use flag may differ
  CHECK(fetched == stored);

  // The mariadb client speaks caching_sha2_password too: over TLS it logs in as the
  // replication user (whose statements are the replica subset) and a wrong password fails.
  std::string client = "mariadb --no-defaults --connect-timeout=5 -N" + login;
  CHECK(run_command(client + verified_tls(pki) + " -e 'SELECT @@server_id'") == "4242\n");
  CHECK_THROWS_WITH(
      run_command("mariadb --no-defaults -h127.0.0.1 -P" + std::to_string(s.port) + " -u" +
                  repl_user + " -pwrong " + verified_tls(pki) + " -e 'SELECT 1'"),
      Catch::Contains("ERROR 1045"));
  CHECK(s.relay.terminate() == 0);
}
