#include "common/option_file.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace binrelay {
namespace {

constexpr int max_include_depth = 10;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_comment_or_empty(std::string_view rest) {
  rest = trim(rest);
  return rest.empty() || rest.front() == '#';
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool valid_key(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

char unescape(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 's':
      return ' ';
    default:
      return c;
  }
}

// A quoted value: `text` starts with the quote; backslash escapes as MySQL reads them.
result<std::string> quoted_value(std::string_view text) {
  char quote = text.front();
  std::string value;
  std::size_t i = 1;
  for (; i < text.size() && text[i] != quote; ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      value += unescape(text[++i]);
    } else {
      value += text[i];
    }
  }
  if (i >= text.size()) return make_error(errc::invalid_argument, "unterminated quote");
  if (!is_comment_or_empty(text.substr(i + 1)))
    return make_error(errc::invalid_argument, "text after the closing quote");
  return value;
}

struct line_parser {
  const std::string& file;
  std::span<const std::string> groups;
  const option_include_fn& include;
  std::vector<option_file_entry> out;
  bool wanted = true;  // the current group is one of `groups` (before any header: yes)

  error fail(std::size_t line, std::string_view what) const {
    return {errc::invalid_argument, fmt::format("{}:{}: {}", file, line, what)};
  }

  result<void> group_header(std::size_t line, std::string_view text) {
    auto close = text.find(']');
    if (close == std::string_view::npos) return fail(line, "group header without ']'");
    if (!is_comment_or_empty(text.substr(close + 1)))
      return fail(line, "text after the group header");
    std::string name = lower(trim(text.substr(1, close - 1)));
    if (name.empty()) return fail(line, "empty group name");
    wanted = std::any_of(groups.begin(), groups.end(),
                         [&](const std::string& g) { return lower(g) == name; });
    return {};
  }

  result<void> directive(std::size_t line, std::string_view text) {
    bool dir = text.starts_with("!includedir");
    std::string_view arg = trim(text.substr(dir ? 11 : 8));
    if (!(dir || text.starts_with("!include")) || arg.empty())
      return fail(line, "expected '!include FILE' or '!includedir DIRECTORY'");
    if (!include) return fail(line, "!include is not allowed here");
    std::filesystem::path target(arg);
    if (target.is_relative()) target = std::filesystem::path(file).parent_path() / target;
    auto entries = include(target, dir);
    if (!entries) return fail(line, entries.error().message);
    for (auto& e : *entries) out.push_back(std::move(e));
    return {};
  }

  result<void> option(std::size_t line, std::string_view text) {
    if (!wanted) return {};
    auto eq = text.find('=');
    std::string_view key_text = text.substr(0, eq);
    if (eq == std::string_view::npos) key_text = key_text.substr(0, key_text.find('#'));
    key_text = trim(key_text);
    if (!valid_key(key_text))
      return fail(line, fmt::format("'{}' is not an option name", key_text));
    option_file_entry e{file, line, std::string(key_text), std::nullopt};
    std::replace(e.key.begin(), e.key.end(), '_', '-');
    if (eq != std::string_view::npos) {
      std::string_view raw = trim(text.substr(eq + 1));
      if (!raw.empty() && (raw.front() == '"' || raw.front() == '\'')) {
        auto q = quoted_value(raw);
        if (!q) return fail(line, fmt::format("{}: {}", e.key, q.error().message));
        e.value = std::move(*q);
      } else {
        e.value = std::string(trim(raw.substr(0, raw.find('#'))));
      }
    }
    out.push_back(std::move(e));
    return {};
  }

  result<void> parse_line(std::size_t line, std::string_view text) {
    text = trim(text);
    if (text.empty() || text.front() == '#' || text.front() == ';') return {};
    if (text.front() == '[') return group_header(line, text);
    if (text.front() == '!') return directive(line, text);
    return option(line, text);
  }
};

result<std::vector<option_file_entry>> read_at_depth(const std::filesystem::path& path,
                                                     std::span<const std::string> groups,
                                                     int depth);

result<std::vector<option_file_entry>> read_directory(const std::filesystem::path& dir,
                                                      std::span<const std::string> groups,
                                                      int depth) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".cnf") files.push_back(entry.path());
  }
  if (ec) return make_error(errc::io_error, "cannot list {}: {}", dir.string(), ec.message());
  std::sort(files.begin(), files.end());
  std::vector<option_file_entry> out;
  for (const auto& f : files) {
    auto entries = read_at_depth(f, groups, depth);
    if (!entries) return std::move(entries).error();
    for (auto& e : *entries) out.push_back(std::move(e));
  }
  return out;
}

result<std::vector<option_file_entry>> read_at_depth(const std::filesystem::path& path,
                                                     std::span<const std::string> groups,
                                                     int depth) {
  if (depth > max_include_depth)
    return make_error(errc::invalid_argument, "{}: includes nested more than {} deep",
                      path.string(), max_include_depth);
  std::ifstream in(path);
  if (!in) {
    return make_error(errc::io_error, "cannot read config file {}: {}", path.string(),
                      std::strerror(errno));
  }
  std::stringstream text;
  text << in.rdbuf();
  option_include_fn include = [&](const std::filesystem::path& p, bool is_directory) {
    return is_directory ? read_directory(p, groups, depth + 1)
                        : read_at_depth(p, groups, depth + 1);
  };
  return parse_option_file(text.str(), path.string(), groups, include);
}

}  // namespace

result<std::vector<option_file_entry>> parse_option_file(std::string_view text,
                                                         const std::string& file_name,
                                                         std::span<const std::string> groups,
                                                         const option_include_fn& include) {
  line_parser parser{file_name, groups, include, {}};
  std::size_t line = 0;
  while (!text.empty()) {
    ++line;
    auto nl = text.find('\n');
    std::string_view current = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (current.find('\0') != std::string_view::npos)
      return parser.fail(line, "NUL byte (not a text file?)");
    if (auto r = parser.parse_line(line, current); !r) return std::move(r).error();
  }
  return std::move(parser.out);
}

result<std::vector<option_file_entry>> read_option_file(const std::filesystem::path& path,
                                                        std::span<const std::string> groups) {
  return read_at_depth(path, groups, 0);
}

}  // namespace binrelay
