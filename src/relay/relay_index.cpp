#include "relay/relay_index.h"

#include <algorithm>
#include <charconv>
#include <fstream>

#include "common/durable_file.h"

namespace binrelay::relay {

namespace fs = std::filesystem;

std::string relay_file_name(std::string_view basename, std::uint64_t number) {
  return fmt::format("{}.{:06}", basename, number);
}

std::optional<std::uint64_t> relay_file_number(std::string_view basename, std::string_view name) {
  if (name.size() < basename.size() + 7 || name.substr(0, basename.size()) != basename ||
      name[basename.size()] != '.') {
    return std::nullopt;
  }
  std::string_view digits = name.substr(basename.size() + 1);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return n;
}

fs::path index_path(const fs::path& dir, std::string_view basename) {
  return dir / (std::string(basename) + ".index");
}

result<std::vector<std::string>> read_index(const fs::path& dir, std::string_view basename) {
  fs::path p = index_path(dir, basename);
  std::vector<std::string> names;
  std::error_code ec;
  if (!fs::exists(p, ec)) return names;
  std::ifstream in(p);
  if (!in) return make_error(errc::io_error, "cannot read relay log index {}", p.string());
  std::string line;
  std::size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty()) continue;
    std::string_view name = line;
    if (name.starts_with("./")) name.remove_prefix(2);
    if (!relay_file_number(basename, name)) {
      return make_error(errc::corrupt, "relay log index {} line {}: '{}' is not a {}.NNNNNN file",
                        p.string(), line_no, line, basename);
    }
    names.emplace_back(name);
  }
  return names;
}

result<void> write_index(const fs::path& dir, std::string_view basename,
                         const std::vector<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += fmt::format("./{}\n", n);
  return write_file_durably(index_path(dir, basename), text);
}

result<std::vector<std::string>> list_relay_files(const fs::path& dir, std::string_view basename) {
  std::error_code ec;
  std::vector<std::pair<std::uint64_t, std::string>> found;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (auto n = relay_file_number(basename, name)) found.emplace_back(*n, name);
  }
  if (ec) return make_error(errc::io_error, "cannot list {}: {}", dir.string(), ec.message());
  std::sort(found.begin(), found.end());
  std::vector<std::string> names;
  for (auto& [n, name] : found) names.push_back(std::move(name));
  return names;
}

}  // namespace binrelay::relay
