#include "common/base64.h"

#include <array>

namespace binrelay {
namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int8_t, 256> decode_table() {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i)
    t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
  return t;
}
constexpr auto reverse = decode_table();

}  // namespace

void base64_append(bytes_view data, std::string& out) {
  std::size_t at = out.size();
  out.resize(at + base64_length(data.size()));
  char* o = out.data() + at;
  const std::uint8_t* p = data.data();
  std::size_t full = data.size() / 3 * 3;
  for (std::size_t i = 0; i < full; i += 3, o += 4) {
    std::uint32_t v = (std::uint32_t(p[i]) << 16) | (std::uint32_t(p[i + 1]) << 8) | p[i + 2];
    o[0] = alphabet[v >> 18];
    o[1] = alphabet[(v >> 12) & 63];
    o[2] = alphabet[(v >> 6) & 63];
    o[3] = alphabet[v & 63];
  }
  std::size_t rest = data.size() - full;
  if (rest == 0) return;
  std::uint32_t v = std::uint32_t(p[full]) << 16;
  if (rest == 2) v |= std::uint32_t(p[full + 1]) << 8;
  o[0] = alphabet[v >> 18];
  o[1] = alphabet[(v >> 12) & 63];
  o[2] = rest == 2 ? alphabet[(v >> 6) & 63] : '=';
  o[3] = '=';
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int pad = last ? (text[i + 3] == '=') + (text[i + 2] == '=') : 0;
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      if (k >= 4 - pad) {
        v <<= 6;
        continue;
      }
      auto d = reverse[static_cast<unsigned char>(text[i + k])];
      if (d < 0) return std::nullopt;
      v = (v << 6) | std::uint32_t(d);
    }
    out.push_back(std::uint8_t(v >> 16));
    if (pad < 2) out.push_back(std::uint8_t(v >> 8));
    if (pad < 1) out.push_back(std::uint8_t(v));
  }
  return out;
}

}  // namespace binrelay
