#include <catch2/catch.hpp>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "protocol/server_auth.h"
#include "protocol/server_context.h"
#include "protocol/server_tls_files.h"

using namespace binrelay;
using namespace binrelay::protocol;
namespace fs = std::filesystem;

namespace {

struct scratch_dir {
  scratch_dir() {
    std::string tmpl = (fs::temp_directory_path() / "binrelay-tls-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~scratch_dir() { fs::remove_all(path); }
  fs::path path;
};

std::string text_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0;
}

using x509_ptr = std::unique_ptr<X509, decltype(&X509_free)>;

x509_ptr load_cert(const fs::path& p) {
  std::string pem = text_of(p);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), int(pem.size())),
                                                &BIO_free);
  return x509_ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
}

}  // namespace

TEST_CASE("server_tls_files: a CA and a server certificate it signed, made once, then reused") {
  scratch_dir dir;
  auto made = ensure_server_tls_files(dir.path, "binrelay");
  REQUIRE(made);
  CHECK(made->generated);
  CHECK(mode_of(dir.path / "ca-key.pem") == 0600);
  CHECK(mode_of(dir.path / "server-key.pem") == 0600);
  CHECK(mode_of(dir.path / "ca.pem") == 0644);
  auto ca = load_cert(made->ca_cert);
  auto server = load_cert(made->server_cert);
  REQUIRE(ca);
  REQUIRE(server);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> ca_key(X509_get_pubkey(ca.get()),
                                                             &EVP_PKEY_free);
  CHECK(X509_verify(server.get(), ca_key.get()) == 1);
  CHECK(X509_check_ca(ca.get()) >= 1);
  CHECK(X509_check_ca(server.get()) == 0);
  // A server context loads them.
  server_options o;
  o.tls_cert_file = made->server_cert.string();
  o.tls_key_file = made->server_key.string();
  server_context context(o);
  CHECK(context.tls() != nullptr);

  std::string before = text_of(made->server_cert);
  auto again = ensure_server_tls_files(dir.path, "binrelay");
  REQUIRE(again);
  CHECK_FALSE(again->generated);
  CHECK(text_of(again->server_cert) == before);
}

TEST_CASE("server_tls_files: a partial set is an error naming the missing file") {
  scratch_dir dir;
  REQUIRE(ensure_server_tls_files(dir.path, "binrelay"));
  fs::remove(dir.path / "server-key.pem");
  auto partial = ensure_server_tls_files(dir.path, "binrelay");
  REQUIRE_FALSE(partial);
  CHECK(partial.error().code == errc::invalid_argument);
  CHECK_THAT(partial.error().message, Catch::Contains("server-key.pem is missing"));
}

// binrelayd killed -9 at its first start while generating: the next start must still serve TLS.
TEST_CASE(
    "server_tls_files: a start killed while renaming the set into place is finished by the next") {
  scratch_dir dir;
  REQUIRE(ensure_server_tls_files(dir.path, "binrelay"));
  std::string cert = text_of(dir.path / "server-cert.pem");
  fs::rename(dir.path / "server-cert.pem", dir.path / "server-cert.pem.new");
  fs::rename(dir.path / "server-key.pem", dir.path / "server-key.pem.new");
  auto again = ensure_server_tls_files(dir.path, "binrelay");
  REQUIRE(again);
  CHECK_FALSE(again->generated);
  CHECK(text_of(dir.path / "server-cert.pem") == cert);
  CHECK(fs::exists(dir.path / "server-key.pem"));
  CHECK_FALSE(fs::exists(dir.path / "server-key.pem.new"));
}

TEST_CASE(
    "server_tls_files: a start killed while writing the set leaves only staged files, made again") {
  scratch_dir dir;
  std::ofstream(dir.path / "ca.pem.new") << "half";
  std::ofstream(dir.path / "private_key.pem.new") << "half";
  auto tls = ensure_server_tls_files(dir.path, "binrelay");
  REQUIRE(tls);
  CHECK(tls->generated);
  CHECK(load_cert(dir.path / "ca.pem"));
  CHECK_FALSE(fs::exists(dir.path / "ca.pem.new"));
  auto rsa = ensure_server_rsa_files(dir.path);
  REQUIRE(rsa);
  CHECK(rsa->generated);
  CHECK(text_of(dir.path / "private_key.pem") != "half");
  for (const auto& e : fs::directory_iterator(dir.path)) CHECK(e.path().extension() != ".new");
}

TEST_CASE("server_tls_files: the RSA pair decrypts what its public key encrypted") {
  scratch_dir dir;
  auto made = ensure_server_rsa_files(dir.path);
  REQUIRE(made);
  CHECK(made->generated);
  CHECK(mode_of(made->private_key) == 0600);
  auto key = rsa_private_key::from_pem(text_of(made->private_key));
  REQUIRE(key);
  CHECK((*key)->public_key_pem() == text_of(made->public_key));
  auto reused = ensure_server_rsa_files(dir.path);
  REQUIRE(reused);
  CHECK_FALSE(reused->generated);
}

TEST_CASE("server_context: the greeting's plugin follows the announced version") {
  CHECK(plugin_for_version("9.7.4-2") == "caching_sha2_password");
  CHECK(plugin_for_version("8.0.40") == "caching_sha2_password");
  CHECK(plugin_for_version(placeholder_version) == "mysql_native_password");
  CHECK(plugin_for_version("5.5.5-10.11.6-MariaDB-log") == "mysql_native_password");
  server_options o;
  o.default_auth_plugin.clear();
  o.server_version = "10.11.6-MariaDB";
  o.accounts = {{"repl", "pw", ""}};
  CHECK(server_context(o).identity().auth_plugin == "mysql_native_password");
  o.server_version = "9.7.4";
  CHECK(server_context(o).identity().auth_plugin == "caching_sha2_password");
}
