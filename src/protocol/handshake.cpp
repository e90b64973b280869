#include "protocol/handshake.h"

#include <algorithm>

#include "protocol/constants.h"
#include "protocol/response_packets.h"

namespace binrelay::protocol {

bool handshake_v10::is_mariadb() const {
  return server_version.find("MariaDB") != std::string::npos;
}

std::string_view display_version(std::string_view server_version) {
  constexpr std::string_view prefix = "5.5.5-";
  if (server_version.starts_with(prefix) && server_version.find("MariaDB") != server_version.npos)
    server_version.remove_prefix(prefix.size());
  return server_version;
}

result<handshake_v10> parse_handshake_v10(bytes_view payload) {
  if (is_err_packet(payload)) {
    auto err = parse_err_packet(payload);
    if (!err) return err.error();
    return err->to_error("server refused the connection");
  }
  byte_reader r(payload);
  std::uint8_t version = r.u8();
  if (r.ok() && version != 10) {
    return make_error(errc::unsupported, "handshake protocol version {} (only 10 is supported)",
                      version);
  }
  handshake_v10 g;
  g.server_version = std::string(r.str_nul());
  g.connection_id = r.u32();
  bytes_view part1 = r.bytes(8);
  g.scramble.assign(part1.begin(), part1.end());
  r.skip(1);
  g.capabilities = r.u16();
  if (!r.ok()) return make_error(errc::truncated, "server greeting is truncated");
  if (r.empty()) {
    return make_error(errc::unsupported, "server '{}' sent a pre-4.1 greeting", g.server_version);
  }
  g.charset = r.u8();
  g.status_flags = r.u16();
  g.capabilities |= std::uint64_t(r.u16()) << 16;
  std::uint8_t scramble_length = r.u8();
  if (!(g.capabilities & cap::plugin_auth)) scramble_length = 0;  // the byte is only filler
  r.skip(6);
  std::uint32_t mariadb_caps = r.u32();
  if (!(g.capabilities & cap::long_password)) g.capabilities |= std::uint64_t(mariadb_caps) << 32;
  if (g.capabilities & cap::secure_connection) {
    std::size_t n = std::max<int>(13, int(scramble_length) - 8);
    bytes_view part2 = r.bytes(n);
    // The last byte is a NUL terminator that is not part of the scramble.
    std::size_t used = scramble_length > 8 ? std::size_t(scramble_length) - 9 : 12;
    if (r.ok()) g.scramble.insert(g.scramble.end(), part2.begin(), part2.begin() + used);
  }
  if (g.capabilities & cap::plugin_auth) {
    bytes_view rest = r.rest();
    auto nul = std::find(rest.begin(), rest.end(), 0);  // 5.5.7..5.5.9 omit the NUL
    g.auth_plugin_name = std::string(rest.begin(), nul);
  }
  if (!r.ok()) return make_error(errc::truncated, "server greeting is truncated");
  return g;
}

std::vector<std::uint8_t> build_handshake_v10(const handshake_v10& g) {
  std::vector<std::uint8_t> out;
  byte_writer w(out);
  w.u8(10);
  w.str_nul(g.server_version);
  w.u32(g.connection_id);
  bytes_view scramble(g.scramble);
  w.bytes(scramble.first(std::min<std::size_t>(8, scramble.size())));
  w.u8(0);
  w.u16(std::uint16_t(g.capabilities));
  w.u8(g.charset);
  w.u16(g.status_flags);
  w.u16(std::uint16_t(g.capabilities >> 16));
  w.u8((g.capabilities & cap::plugin_auth) ? std::uint8_t(scramble.size() + 1) : 0);
  w.zeros(6);
  w.u32((g.capabilities & cap::long_password) ? 0 : std::uint32_t(g.capabilities >> 32));
  if (g.capabilities & cap::secure_connection) {
    bytes_view part2 = scramble.size() > 8 ? scramble.subspan(8) : bytes_view{};
    w.bytes(part2);
    w.zeros(std::max<std::size_t>(13, part2.size() + 1) - part2.size());
  }
  if (g.capabilities & cap::plugin_auth) w.str_nul(g.auth_plugin_name);
  return out;
}

}  // namespace binrelay::protocol
