// gtid_set::parse and gtid_set::to_string: MySQL's GTID set text (docs/gtid.md, "Text").

#include <charconv>

#include "gtid/gtid_set.h"

namespace binrelay::gtid {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_tag_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || is_digit(c);
}

// A cursor over the text that builds the set and reports errors with their offset.
class text_parser {
 public:
  explicit text_parser(std::string_view text) : text_(text) {}

  result<gtid_set> run() {
    skip_space();
    while (true) {
      while (peek() == ',') {
        ++pos_;
        skip_space();
      }
      if (at_end()) return std::move(set_);
      if (auto r = uuid_spec(); !r) return r.error();
      if (!at_end() && peek() != ',') {
        return fail("expected ':', ',' or the end of the text");
      }
    }
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip_space() {
    while (!at_end() && is_space(text_[pos_])) ++pos_;
  }

  error fail(std::string_view what) const { return fail_at(pos_, what); }
  error fail_at(std::size_t at, std::string_view what) const {
    const std::string_view found =
        at >= text_.size() ? std::string_view("end of text") : text_.substr(at, 24);
    return make_error(errc::invalid_argument, "invalid GTID set at offset {}: {}, found '{}'", at,
                      what, found);
  }

  // uuid { ':' (tag | gno ['-' gno]) }
  result<void> uuid_spec() {
    const std::size_t uuid_at = pos_;
    auto sid = uuid::parse(text_.substr(pos_, uuid::text_size));
    if (!sid) {
      return make_error(errc::invalid_argument, "invalid GTID set at offset {}: {}", uuid_at,
                        sid.error().message);
    }
    pos_ += uuid::text_size;
    skip_space();
    std::string tag;
    while (peek() == ':') {
      ++pos_;
      skip_space();
      if (is_digit(peek())) {
        if (auto r = interval_spec(*sid, tag); !r) return r;
      } else if (is_tag_char(peek())) {
        auto t = tag_spec();
        if (!t) return t.error();
        tag = std::move(*t);
      } else {
        return fail("expected a transaction number or a tag after ':'");
      }
      skip_space();
    }
    return {};
  }

  result<std::string> tag_spec() {
    const std::size_t start = pos_;
    while (!at_end() && is_tag_char(text_[pos_])) ++pos_;
    auto tag = normalise_tag(text_.substr(start, pos_ - start));
    if (!tag) {
      return make_error(errc::invalid_argument, "invalid GTID set at offset {}: {}", start,
                        tag.error().message);
    }
    return tag;
  }

  result<void> interval_spec(const uuid& sid, const std::string& tag) {
    const std::size_t start_at = pos_;
    auto first = gno();
    if (!first) return first.error();
    std::uint64_t last = *first;
    skip_space();
    if (peek() == '-') {
      ++pos_;
      skip_space();
      auto second = gno();
      if (!second) return second.error();
      last = *second;
      if (last < *first) {
        return fail_at(start_at, "interval ends before it starts");
      }
    }
    set_.add_interval(sid, tag, *first, last + 1);
    return {};
  }

  result<std::uint64_t> gno() {
    const std::size_t start = pos_;
    if (!is_digit(peek())) return fail("expected a transaction number");
    std::uint64_t value = 0;
    while (is_digit(peek())) {
      const std::uint64_t digit = static_cast<std::uint64_t>(peek() - '0');
      if (value > (max_gno - digit) / 10) {
        return fail_at(start, fmt::format("transaction number exceeds {}", max_gno));
      }
      value = value * 10 + digit;
      ++pos_;
    }
    if (value == 0) return fail_at(start, "transaction numbers start at 1");
    return value;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  gtid_set set_;
};

void append_number(std::string& out, std::uint64_t v) {
  char buf[20];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

}  // namespace

result<gtid_set> gtid_set::parse(std::string_view text) {
  return text_parser(text).run();
}

std::string gtid_set::to_string() const {
  std::string out;
  std::size_t estimate = 0;
  for (const entry& e : entries_) estimate += 40 + e.tag.size() + e.intervals.size() * 16;
  out.reserve(estimate);
  const uuid* previous = nullptr;
  for (const entry& e : entries_) {
    if (previous == nullptr || *previous != e.sid) {
      if (previous != nullptr) out += ",\n";
      const std::size_t at = out.size();
      out.resize(at + uuid::text_size);
      e.sid.format_to(out.data() + at);
      previous = &e.sid;
    }
    if (!e.tag.empty()) {
      out += ':';
      out += e.tag;
    }
    for (const interval& iv : e.intervals) {
      out += ':';
      append_number(out, iv.start);
      if (iv.end_exclusive > iv.start + 1) {
        out += '-';
        append_number(out, iv.end_exclusive - 1);
      }
    }
  }
  return out;
}

}  // namespace binrelay::gtid
