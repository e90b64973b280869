#pragma once
// A throwaway PKI for TLS tests, made with the openssl CLI in a temporary directory: a CA
// (ca.pem, ca.key), a server certificate for IP 127.0.0.1 signed by it (server.pem,
// server.key), and an unrelated CA (other-ca.pem) that must fail verification.

#include <stdlib.h>

#include <filesystem>
#include <string>

#include "support/mariadb_server.h"

namespace binrelay::test {

struct test_pki {
  std::filesystem::path dir;
  test_pki() {
    char tmpl[] = "/tmp/binrelay-pki-XXXXXX";
    dir = mkdtemp(tmpl);
    run_command("cd " + dir.string() +
                " && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem"
                " -days 2 -subj '/CN=binrelay test CA'"
                " && openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key"
                " -out other-ca.pem -days 2 -subj '/CN=unrelated CA'"
                " && openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr"
                " -subj '/CN=127.0.0.1'"
                " && printf 'subjectAltName=IP:127.0.0.1\\n' > ext.cnf"
                " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial"
                " -out server.pem -days 2 -extfile ext.cnf 2>/dev/null");
  }
  ~test_pki() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  test_pki(const test_pki&) = delete;
  test_pki& operator=(const test_pki&) = delete;
  std::string file(const char* name) const { return (dir / name).string(); }
};

}  // namespace binrelay::test
