#include "daemon/serving_tls.h"

#include "common/log.h"
#include "protocol/server_tls_files.h"

namespace binrelay::daemon {
namespace {

const char* made_or_reused(bool generated) {
  return generated ? "generated now" : "generated at an earlier start";
}

}  // namespace

void use_generated_tls_files(protocol::server_options& options,
                             const std::filesystem::path& data_dir, bool tls) {
  std::string used;
  if (tls && options.tls_cert_file.empty() && options.tls_key_file.empty()) {
    auto files = protocol::ensure_server_tls_files(data_dir, "binrelay");
    if (files) {
      options.tls_cert_file = files->server_cert.string();
      options.tls_key_file = files->server_key.string();
      used = fmt::format("TLS certificate {} (CA {}, {})", files->server_cert.string(),
                         files->ca_cert.string(), made_or_reused(files->generated));
    } else {
      log::error("serving without TLS: {}", files.error().describe());
    }
  }
  if (options.rsa_private_key_file.empty()) {
    auto rsa = protocol::ensure_server_rsa_files(data_dir);
    if (rsa) {
      options.rsa_private_key_file = rsa->private_key.string();
      used += fmt::format("{}RSA key {} for caching_sha2_password ({})", used.empty() ? "" : "; ",
                          rsa->private_key.string(), made_or_reused(rsa->generated));
    } else {
      log::error("caching_sha2_password logins without TLS are refused: {}",
                 rsa.error().describe());
    }
  }
  if (!used.empty()) log::info("serving port uses {}", used);
}

}  // namespace binrelay::daemon
