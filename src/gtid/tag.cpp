#include "gtid/tag.h"

namespace binrelay::gtid {
namespace {

bool is_tag_start(char c) {
  return (c >= 'a' && c <= 'z') || c == '_';
}
bool is_tag_char(char c) {
  return is_tag_start(c) || (c >= '0' && c <= '9');
}
char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

bool is_normalised_tag(std::string_view tag) {
  if (tag.empty()) return true;
  if (tag.size() > tag_max_length || !is_tag_start(tag[0])) return false;
  for (char c : tag) {
    if (!is_tag_char(c)) return false;
  }
  return true;
}

result<std::string> normalise_tag(std::string_view tag) {
  if (tag.empty()) {
    return make_error(errc::invalid_argument, "empty GTID tag");
  }
  if (tag.size() > tag_max_length) {
    return make_error(errc::invalid_argument, "GTID tag '{}' is {} characters long, at most {}",
                      tag.substr(0, 64), tag.size(), tag_max_length);
  }
  std::string out(tag.size(), '\0');
  for (std::size_t i = 0; i < tag.size(); ++i) {
    const char c = lower(tag[i]);
    if (i == 0 ? !is_tag_start(c) : !is_tag_char(c)) {
      return make_error(errc::invalid_argument, "GTID tag '{}': character {} must be {}", tag, i,
                        i == 0 ? "a letter or '_'" : "a letter, digit or '_'");
    }
    out[i] = c;
  }
  return out;
}

}  // namespace binrelay::gtid
