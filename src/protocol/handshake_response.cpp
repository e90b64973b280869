#include "protocol/handshake_response.h"

#include "protocol/constants.h"

namespace binrelay::protocol {
namespace {

void write_fixed_part(byte_writer& w, std::uint64_t caps, std::uint32_t max_packet,
                      std::uint8_t charset) {
  w.u32(std::uint32_t(caps));
  w.u32(max_packet);
  w.u8(charset);
  w.zeros(19);
  w.u32(std::uint32_t(caps >> 32));
}

std::uint64_t read_fixed_part(byte_reader& r, std::uint32_t& max_packet, std::uint8_t& charset) {
  std::uint64_t caps = r.u32();
  max_packet = r.u32();
  charset = r.u8();
  r.skip(19);
  std::uint64_t extended = r.u32();
  if (!(caps & cap::long_password)) caps |= extended << 32;
  return caps;
}

}  // namespace

std::vector<std::uint8_t> build_handshake_response(const handshake_response& h) {
  assert(h.capabilities & cap::protocol_41);
  std::vector<std::uint8_t> out;
  byte_writer w(out);
  write_fixed_part(w, h.capabilities, h.max_packet_size, h.charset);
  w.str_nul(h.user);
  if (h.capabilities & cap::plugin_auth_lenenc_client_data) {
    w.lenenc(h.auth_response.size());
  } else {
    assert(h.auth_response.size() < 256);
    w.u8(std::uint8_t(h.auth_response.size()));
  }
  w.bytes(h.auth_response);
  if (h.capabilities & cap::connect_with_db) w.str_nul(h.database);
  if (h.capabilities & cap::plugin_auth) w.str_nul(h.auth_plugin_name);
  if (h.capabilities & cap::connect_attrs) {
    std::vector<std::uint8_t> attrs;
    byte_writer a(attrs);
    for (const auto& [key, value] : h.attributes) {
      a.str_lenenc(key);
      a.str_lenenc(value);
    }
    w.lenenc(attrs.size());
    w.bytes(attrs);
  }
  return out;
}

result<handshake_response> parse_handshake_response(bytes_view payload) {
  byte_reader r(payload);
  handshake_response h;
  h.capabilities = read_fixed_part(r, h.max_packet_size, h.charset);
  if (r.ok() && !(h.capabilities & cap::protocol_41)) {
    return make_error(errc::unsupported, "client does not speak protocol 4.1");
  }
  h.user = std::string(r.str_nul());
  bytes_view auth = (h.capabilities & cap::plugin_auth_lenenc_client_data) ? r.bytes(r.lenenc())
                                                                           : r.bytes(r.u8());
  h.auth_response.assign(auth.begin(), auth.end());
  if (h.capabilities & cap::connect_with_db) h.database = std::string(r.str_nul());
  if (h.capabilities & cap::plugin_auth) h.auth_plugin_name = std::string(r.str_nul());
  if (h.capabilities & cap::connect_attrs) {
    byte_reader a(r.bytes(r.lenenc()));
    while (r.ok() && a.ok() && !a.empty()) {
      std::string key(a.str_lenenc());
      std::string value(a.str_lenenc());
      h.attributes.emplace_back(std::move(key), std::move(value));
    }
    if (!a.ok()) r.fail();
  }
  if (!r.ok()) {
    return make_error(errc::truncated, "handshake response of {} bytes is truncated",
                      payload.size());
  }
  return h;
}

std::vector<std::uint8_t> build_ssl_request(const ssl_request& s) {
  std::vector<std::uint8_t> out;
  byte_writer w(out);
  write_fixed_part(w, s.capabilities | cap::ssl, s.max_packet_size, s.charset);
  return out;
}

result<ssl_request> parse_ssl_request(bytes_view payload) {
  if (payload.size() != ssl_request_size) {
    return make_error(errc::protocol_error, "SSLRequest must be {} bytes, got {}", ssl_request_size,
                      payload.size());
  }
  byte_reader r(payload);
  ssl_request s;
  s.capabilities = read_fixed_part(r, s.max_packet_size, s.charset);
  if (!(s.capabilities & cap::ssl)) {
    return make_error(errc::protocol_error, "SSLRequest without the SSL capability");
  }
  return s;
}

}  // namespace binrelay::protocol
