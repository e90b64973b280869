#include "admin/change_source.h"

#include <algorithm>

#include <charconv>

namespace binrelay::admin {
namespace {

using sql::expression;

error with_errno(error e, std::uint16_t errno_value) {
  e.server_errno = errno_value;
  return e;
}

error bad_value(const std::string& option) {
  return with_errno(make_error(errc::invalid_argument, "Incorrect arguments to {}", option), 1210);
}

result<std::string> as_string(const std::string& option, const expression& e) {
  if (e.type != expression::kind::string) return bad_value(option);
  return e.text;
}

result<std::uint64_t> as_number(const std::string& option, const expression& e, std::uint64_t max) {
  std::uint64_t v = 0;
  const std::string& t = e.text;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (e.type != expression::kind::number || ec != std::errc() || end != t.data() + t.size() ||
      v > max) {
    return bad_value(option);
  }
  return v;
}

result<bool> as_flag(const std::string& option, const expression& e) {
  auto v = as_number(option, e, 1);
  if (!v) return std::move(v).error();
  return *v == 1;
}

// MASTER_X and SOURCE_X are the same option; returns "X".
std::string option_key(const std::string& name) {
  for (std::string_view prefix : {"MASTER_", "SOURCE_"}) {
    if (name.rfind(prefix, 0) == 0) return name.substr(prefix.size());
  }
  return name;
}

result<void> apply_tls_option(relay::source_settings& s, const std::string& key,
                              const std::string& name, const expression& value) {
  auto& tls = s.tls;
  if (key == "SSL") {
    auto on = as_flag(name, value);
    if (!on) return std::move(on).error();
    tls.mode = *on ? protocol::tls_mode::required : protocol::tls_mode::preferred;
    return {};
  }
  if (key == "SSL_VERIFY_SERVER_CERT") {
    auto on = as_flag(name, value);
    if (!on) return std::move(on).error();
    tls.verify_server_cert = *on;
    return {};
  }
  std::string* field = key == "SSL_CA"     ? &tls.ca_file
                       : key == "SSL_CERT" ? &tls.cert_file
                       : key == "SSL_KEY"  ? &tls.key_file
                                           : nullptr;
  if (!field) {
    return with_errno(
        make_error(errc::unsupported, "This version of binrelay doesn't yet support '{}'", name),
        1235);
  }
  auto text = as_string(name, value);
  if (!text) return std::move(text).error();
  *field = *text;
  return {};
}

result<void> apply_option(source_change& c, const sql::change_source_option& o) {
  const std::string key = option_key(o.name);
  relay::source_settings& s = c.settings;
  if (key == "HOST" || key == "USER" || key == "PASSWORD" || key == "USE_GTID") {
    auto text = key == "USE_GTID" && o.value.type == expression::kind::identifier
                    ? result<std::string>(o.value.text)
                    : as_string(o.name, o.value);
    if (!text) return std::move(text).error();
    if (key == "HOST") {
      // As MySQL: an empty host is refused; a host name is at most 255 characters and holds no
      // spaces or control characters.
      bool odd = std::any_of(text->begin(), text->end(),
                             [](unsigned char ch) { return ch <= ' ' || ch == 0x7f; });
      if (text->empty() || text->size() > 255 || odd) return bad_value(o.name);
      s.host = *text;
    }
    if (key == "USER") {
      if (text->size() > 96) return bad_value(o.name);
      s.user = *text;
    }
    if (key == "PASSWORD") c.password = *text;
    if (key == "USE_GTID") {
      if (*text != "slave_pos" && *text != "current_pos") return bad_value(o.name);
      s.use_gtid = *text;
    }
    return {};
  }
  if (key == "PORT" || key == "CONNECT_RETRY") {
    auto v = as_number(o.name, o.value, key == "PORT" ? 65535 : 31536000);
    if (!v) return std::move(v).error();
    if (key == "PORT" && *v == 0) return bad_value(o.name);
    if (key == "PORT")
      s.port = static_cast<std::uint16_t>(*v);
    else
      s.connect_retry_s = static_cast<std::uint32_t>(*v);
    return {};
  }
  if (key == "AUTO_POSITION") {
    auto on = as_flag(o.name, o.value);
    if (!on) return std::move(on).error();
    if (!*on) return bad_value(o.name + " (binrelay always resumes by GTID)");
    s.auto_position = true;
    return {};
  }
  if (key == "HEARTBEAT_PERIOD") return {};
  return apply_tls_option(s, key, o.name, o.value);
}

}  // namespace

result<source_change> apply_change_source(const relay::source_settings& current,
                                          const sql::change_source_statement& s) {
  source_change c{current, std::nullopt};
  for (const auto& o : s.options) {
    auto r = apply_option(c, o);
    if (!r) return std::move(r).error();
  }
  return c;
}

}  // namespace binrelay::admin
