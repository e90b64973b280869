#pragma once
// TLS by default on the serving port (docs/serving.md, "TLS"): when the operator names no
// certificate (--ssl-cert) and did not turn TLS off (--skip-ssl), binrelayd uses the CA and
// server certificate it generated in its data directory at the first start, as mysqld's
// auto_generate_certs does; without --rsa-key it uses the RSA pair generated there for
// caching_sha2_password logins without TLS. So a MySQL 8.0+ replica, which wants TLS by default,
// connects to a binrelayd started with no TLS flags. One log line says which files are used.
//
// A failure to generate or read them is logged (naming the file and the reason) and serving
// goes on without them: TLS was not asked for, and replicas that need it say so themselves.

#include <filesystem>

#include "protocol/server_context.h"

namespace binrelay::daemon {

// Fills options.tls_cert_file/tls_key_file (when `tls` and no certificate is configured) and
// options.rsa_private_key_file (when none is configured) from `data_dir`.
void use_generated_tls_files(protocol::server_options& options,
                             const std::filesystem::path& data_dir, bool tls);

}  // namespace binrelay::daemon
