#pragma once
// The TLS certificate and RSA key pair a server generates for itself when the operator gives
// none, as mysqld's auto_generate_certs and caching_sha2_password_auto_generate_rsa_keys do,
// with mysqld's file names (docs/serving.md, "TLS"):
//   ca.pem, ca-key.pem                 a self-signed CA (RSA 2048, SHA-256, 10 years)
//   server-cert.pem, server-key.pem    a server certificate signed by that CA
//   private_key.pem, public_key.pem    the RSA pair for caching_sha2_password without TLS
// Keys are written with mode 0600, certificates 0644, each durably (write_file_durably), all
// of a set under staged names (".new") before any is renamed into place: a start killed
// while generating leaves no partial set (the next one generates again, or finishes the
// renames). Files present from an earlier start are reused as they are; a set that is only
// partly there otherwise is an error naming the missing file (the operator removes the rest
// or restores it).
//
// Not thread-safe for one directory; called once at startup.

#include <filesystem>
#include <string>

#include "common/result.h"

namespace binrelay::protocol {

struct server_tls_files {
  std::filesystem::path ca_cert;
  std::filesystem::path server_cert;
  std::filesystem::path server_key;
  bool generated = false;  // made now, not found from an earlier start
};

struct server_rsa_files {
  std::filesystem::path private_key;
  std::filesystem::path public_key;
  bool generated = false;
};

// The CA and server certificate in `dir` (which must exist), generated when none of the four
// files is there. `name` goes into the certificates' common names, e.g. "binrelay".
// Errors: io_error (naming the file), invalid_argument (a partial set), unsupported (OpenSSL
// refused to make a key or certificate).
result<server_tls_files> ensure_server_tls_files(const std::filesystem::path& dir,
                                                 const std::string& name);

// The RSA key pair in `dir`, generated when neither file is there.
result<server_rsa_files> ensure_server_rsa_files(const std::filesystem::path& dir);

}  // namespace binrelay::protocol
