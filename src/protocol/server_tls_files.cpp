#include "protocol/server_tls_files.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <vector>

#include "common/durable_file.h"

namespace binrelay::protocol {
namespace {

namespace fs = std::filesystem;

using pkey_ptr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using x509_ptr = std::unique_ptr<X509, decltype(&X509_free)>;
using bio_ptr = std::unique_ptr<BIO, decltype(&BIO_free)>;

constexpr unsigned key_mode = 0600;
constexpr unsigned cert_mode = 0644;
constexpr long validity_seconds = 10L * 365 * 24 * 3600;  // mysqld's 10 years

binrelay::error openssl_error(const char* what) {
  unsigned long code = ERR_get_error();
  char text[256] = "no OpenSSL error";
  if (code != 0) ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return make_error(errc::unsupported, "OpenSSL could not {}: {}", what, text);
}

result<pkey_ptr> new_rsa_key() {
  pkey_ptr key(EVP_RSA_gen(2048), &EVP_PKEY_free);
  if (!key) return openssl_error("generate an RSA key");
  return key;
}

// What `write` puts into a memory BIO.
template <typename Write>
result<std::string> pem_text(Write write, const char* what) {
  bio_ptr bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || write(bio.get()) != 1) return openssl_error(what);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, std::size_t(n));
}

result<std::string> private_pem(EVP_PKEY* key) {
  return pem_text(
      [key](BIO* b) {
        return PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr);
      },
      "write a private key");
}

result<std::string> public_pem(EVP_PKEY* key) {
  return pem_text([key](BIO* b) { return PEM_write_bio_PUBKEY(b, key); }, "write a public key");
}

result<std::string> cert_pem(X509* cert) {
  return pem_text([cert](BIO* b) { return PEM_write_bio_X509(b, cert); }, "write a certificate");
}

bool add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, decltype(&X509_EXTENSION_free)> ext(
      X509V3_EXT_conf_nid(nullptr, &ctx, nid, value), &X509_EXTENSION_free);
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

bool set_common_name(X509_NAME* name, const std::string& cn) {
  return X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                    0) == 1;
}

// A certificate for `key` named `cn`, signed by `issuer_key` (as `issuer`, or self-signed
// when `issuer` is null).
result<x509_ptr> make_certificate(EVP_PKEY* key, const std::string& cn, X509* issuer,
                                  EVP_PKEY* issuer_key, long serial) {
  x509_ptr cert(X509_new(), &X509_free);
  bool ok = cert && X509_set_version(cert.get(), 2) == 1 &&
            ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial) == 1 &&
            X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0) != nullptr &&
            X509_gmtime_adj(X509_getm_notAfter(cert.get()), validity_seconds) != nullptr &&
            X509_set_pubkey(cert.get(), key) == 1 &&
            set_common_name(X509_get_subject_name(cert.get()), cn);
  X509* signer = issuer ? issuer : cert.get();
  ok = ok && X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) == 1;
  const char* constraints = issuer ? "critical,CA:FALSE" : "critical,CA:TRUE";
  ok = ok && add_extension(cert.get(), signer, NID_basic_constraints, constraints) &&
       add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (!ok) return openssl_error("build a certificate");
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) == 0) return openssl_error("sign");
  return cert;
}

struct named_text {
  fs::path path;
  std::string text;
  unsigned mode;
};

fs::path staged(const fs::path& file) {
  fs::path p = file;
  p += ".new";
  return p;
}

// Puts each staged file in place, then makes the renames durable.
result<void> rename_staged(const std::vector<fs::path>& files) {
  for (const auto& f : files) {
    std::error_code ec;
    if (!fs::exists(staged(f), ec)) continue;
    fs::rename(staged(f), f, ec);
    if (ec) {
      return make_error(errc::io_error, "rename {} to {}: {}", staged(f).string(), f.string(),
                        ec.message());
    }
  }
  return sync_directory(files.front().parent_path());
}

// Every file is written (durably) under its staged name before any is renamed into place, so
// a start killed while writing leaves none of the set, and one killed while renaming leaves
// the rest staged for the next start to finish (complete_set).
result<void> write_all(const std::vector<named_text>& files) {
  std::vector<fs::path> paths;
  for (const auto& f : files) {
    if (auto w = write_file_durably(staged(f.path), f.text, f.mode); !w) return w;
    paths.push_back(f.path);
  }
  return rename_staged(paths);
}

// True when every file exists, false when none does. When only some do: the rest are renamed
// into place when they are all staged (an earlier start was killed while renaming), else an
// error names the first missing file.
result<bool> complete_set(const std::vector<fs::path>& files) {
  std::size_t present = 0;
  std::size_t staged_count = 0;
  const fs::path* missing = nullptr;
  for (const auto& f : files) {
    std::error_code ec;
    if (fs::exists(f, ec)) {
      ++present;
    } else if (fs::exists(staged(f), ec)) {
      ++staged_count;
    } else if (!missing) {
      missing = &f;
    }
  }
  if (present == 0) return false;
  if (present == files.size()) return true;
  if (present + staged_count == files.size()) {
    if (auto r = rename_staged(files); !r) return r.error();
    return true;
  }
  return make_error(errc::invalid_argument,
                    "{} is missing while other generated TLS files are there; remove the others "
                    "to have them all generated again, or restore it",
                    missing->string());
}

result<std::vector<named_text>> generate_tls_set(const server_tls_files& out, const fs::path& dir,
                                                 const std::string& name) {
  auto ca_key = new_rsa_key();
  if (!ca_key) return ca_key.error();
  auto server_key = new_rsa_key();
  if (!server_key) return server_key.error();
  auto ca = make_certificate(ca_key->get(), name + "_Auto_Generated_CA_Certificate", nullptr,
                             ca_key->get(), 1);
  if (!ca) return ca.error();
  auto server = make_certificate(server_key->get(), name + "_Auto_Generated_Server_Certificate",
                                 ca->get(), ca_key->get(), 2);
  if (!server) return server.error();
  auto ca_text = cert_pem(ca->get());
  auto ca_key_text = private_pem(ca_key->get());
  auto server_text = cert_pem(server->get());
  auto server_key_text = private_pem(server_key->get());
  for (const auto* r : {&ca_text, &ca_key_text, &server_text, &server_key_text}) {
    if (!*r) return r->error();
  }
  return std::vector<named_text>{{out.ca_cert, *ca_text, cert_mode},
                                 {dir / "ca-key.pem", *ca_key_text, key_mode},
                                 {out.server_cert, *server_text, cert_mode},
                                 {out.server_key, *server_key_text, key_mode}};
}

}  // namespace

result<server_tls_files> ensure_server_tls_files(const fs::path& dir, const std::string& name) {
  server_tls_files out{dir / "ca.pem", dir / "server-cert.pem", dir / "server-key.pem", false};
  auto complete = complete_set({out.ca_cert, dir / "ca-key.pem", out.server_cert, out.server_key});
  if (!complete) return complete.error();
  if (*complete) return out;
  auto files = generate_tls_set(out, dir, name);
  if (!files) return files.error();
  if (auto w = write_all(*files); !w) return w.error();
  out.generated = true;
  return out;
}

result<server_rsa_files> ensure_server_rsa_files(const fs::path& dir) {
  server_rsa_files out{dir / "private_key.pem", dir / "public_key.pem", false};
  auto complete = complete_set({out.private_key, out.public_key});
  if (!complete) return complete.error();
  if (*complete) return out;
  auto key = new_rsa_key();
  if (!key) return key.error();
  auto private_text = private_pem(key->get());
  if (!private_text) return private_text.error();
  auto public_text = public_pem(key->get());
  if (!public_text) return public_text.error();
  auto w = write_all(
      {{out.private_key, *private_text, key_mode}, {out.public_key, *public_text, cert_mode}});
  if (!w) return w.error();
  out.generated = true;
  return out;
}

}  // namespace binrelay::protocol
