#include "relay/source_settings.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

namespace binrelay::relay {
namespace fs = std::filesystem;

namespace {

constexpr const char* settings_file = "source.conf";
constexpr const char* password_file = "source-password";

std::string tls_mode_name(protocol::tls_mode m) {
  switch (m) {
    case protocol::tls_mode::disabled:
      return "disabled";
    case protocol::tls_mode::required:
      return "required";
    default:
      return "preferred";
  }
}

std::optional<protocol::tls_mode> parse_tls_mode(const std::string& s) {
  if (s == "disabled") return protocol::tls_mode::disabled;
  if (s == "preferred") return protocol::tls_mode::preferred;
  if (s == "required") return protocol::tls_mode::required;
  return std::nullopt;
}

std::string render(const source_settings& s) {
  std::ostringstream out;
  out << "host = " << s.host << "\nport = " << s.port << "\nuser = " << s.user
      << "\nssl = " << tls_mode_name(s.tls.mode) << "\nssl_ca = " << s.tls.ca_file
      << "\nssl_cert = " << s.tls.cert_file << "\nssl_key = " << s.tls.key_file
      << "\nssl_verify_server_cert = " << (s.tls.verify_server_cert ? 1 : 0)
      << "\nauto_position = " << (s.auto_position ? 1 : 0) << "\nuse_gtid = " << s.use_gtid
      << "\nconnect_retry = " << s.connect_retry_s << "\n";
  return out.str();
}

// Sets one field; false for an unknown key or a bad value.
bool assign(source_settings& s, const std::string& key, const std::string& value) {
  try {
    if (key == "host")
      s.host = value;
    else if (key == "port")
      s.port = static_cast<std::uint16_t>(std::stoul(value));
    else if (key == "user")
      s.user = value;
    else if (key == "ssl_ca")
      s.tls.ca_file = value;
    else if (key == "ssl_cert")
      s.tls.cert_file = value;
    else if (key == "ssl_key")
      s.tls.key_file = value;
    else if (key == "ssl_verify_server_cert")
      s.tls.verify_server_cert = value == "1";
    else if (key == "auto_position")
      s.auto_position = value == "1";
    else if (key == "use_gtid")
      s.use_gtid = value;
    else if (key == "connect_retry")
      s.connect_retry_s = static_cast<std::uint32_t>(std::stoul(value));
    else if (key == "ssl") {
      auto mode = parse_tls_mode(value);
      if (!mode) return false;
      s.tls.mode = *mode;
    } else {
      return false;
    }
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

}  // namespace

bool operator==(const source_settings& a, const source_settings& b) {
  auto fields = [](const source_settings& s) {
    return std::tie(s.host, s.port, s.user, s.tls.mode, s.tls.ca_file, s.tls.cert_file,
                    s.tls.key_file, s.tls.verify_server_cert, s.auto_position, s.use_gtid,
                    s.connect_retry_s);
  };
  return fields(a) == fields(b);
}

source_settings settings_from_config(const relay::upstream_config& config) {
  source_settings s;
  if (!config.endpoints.empty()) {
    s.host = config.endpoints.front().host;
    s.port = config.endpoints.front().port;
  }
  s.user = config.user;
  s.tls = config.tls;
  s.connect_retry_s = static_cast<std::uint32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(config.retry_max).count());
  return s;
}

relay::upstream_config apply_settings(relay::upstream_config config, const source_settings& s) {
  config.endpoints = {relay::upstream_endpoint{s.host, s.port}};
  config.user = s.user;
  config.tls = s.tls;
  config.retry_max = std::chrono::seconds(std::max<std::uint32_t>(1, s.connect_retry_s));
  return config;
}

result<std::optional<source_settings>> load_source_settings(const fs::path& dir) {
  fs::path path = dir / settings_file;
  std::ifstream in(path);
  if (!in) {
    if (!fs::exists(path)) return std::optional<source_settings>();
    return make_error(errc::io_error, "cannot read {}", path.string());
  }
  source_settings s;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (trim(line).empty()) continue;
    auto eq = line.find('=');
    if (eq == std::string::npos ||
        !assign(s, trim(line.substr(0, eq)), trim(line.substr(eq + 1)))) {
      return make_error(errc::corrupt, "{} line {}: cannot use '{}'", path.string(), number, line);
    }
  }
  return std::optional<source_settings>(std::move(s));
}

result<void> save_source_settings(const fs::path& dir, const source_settings& s) {
  return write_file_durably(dir / settings_file, render(s));
}

result<std::optional<std::string>> load_source_password(const fs::path& dir) {
  fs::path path = dir / password_file;
  std::ifstream in(path);
  if (!in) {
    if (!fs::exists(path)) return std::optional<std::string>();
    return make_error(errc::io_error, "cannot read {}", path.string());
  }
  std::string pw;
  std::getline(in, pw);
  return std::optional<std::string>(std::move(pw));
}

result<void> save_source_password(const fs::path& dir, const std::string& password) {
  return write_file_durably(dir / password_file, password + "\n", 0600);
}

result<void> remove_source_settings(const fs::path& dir) {
  std::error_code ec;
  for (const char* name : {settings_file, password_file}) {
    fs::remove(dir / name, ec);
    if (ec)
      return make_error(errc::io_error, "cannot remove {}: {}", (dir / name).string(),
                        ec.message());
  }
  return {};
}

}  // namespace binrelay::relay
