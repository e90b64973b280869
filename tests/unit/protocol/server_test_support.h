#pragma once
// Test helpers for the server side: a throwaway TLS certificate and RSA key made with the
// openssl command-line tool in a temporary directory (removed on destruction).

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace binrelay::test {

class throwaway_certificate {
 public:
  throwaway_certificate() {
    char pattern[] = "/tmp/binrelay-cert-XXXXXX";
    if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    std::string command =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=binrelay-test"
        " -keyout " +
        key_file() + " -out " + cert_file() + " 2>/dev/null";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl req failed");
  }
  ~throwaway_certificate() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  throwaway_certificate(const throwaway_certificate&) = delete;
  throwaway_certificate& operator=(const throwaway_certificate&) = delete;

  std::string cert_file() const { return (dir_ / "cert.pem").string(); }
  std::string key_file() const { return (dir_ / "key.pem").string(); }
  std::string key_pem() const {
    std::ifstream in(key_file());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace binrelay::test
