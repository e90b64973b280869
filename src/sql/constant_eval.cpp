#include "sql/constant_eval.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <ctime>
#include <limits>

#include <fmt/format.h>

namespace binrelay::sql {
namespace {

using kind = expression::kind;

// A number as an integer when it is one, else as a long double with its decimal scale.
struct number {
  bool integer = true;
  std::int64_t i = 0;
  long double d = 0;
  int scale = 0;
  long double value() const { return integer ? static_cast<long double>(i) : d; }
};

std::optional<number> literal(const std::string& text) {
  number n;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, n.i);
  if (ec == std::errc() && p == end) return n;
  auto dot = text.find('.');
  if (text.find_first_of("eExX") != std::string::npos) return std::nullopt;
  char* stop = nullptr;
  n.d = std::strtold(text.c_str(), &stop);
  if (stop != text.c_str() + text.size()) return std::nullopt;
  n.integer = false;
  n.scale = dot == std::string::npos ? 0 : static_cast<int>(text.size() - dot - 1);
  return n;
}

result<std::optional<number>> eval(const expression& e);

result<std::optional<number>> integer_op(char op, std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  bool overflow = false;
  switch (op) {
    case '+':
      overflow = __builtin_add_overflow(a, b, &r);
      break;
    case '-':
      overflow = __builtin_sub_overflow(a, b, &r);
      break;
    case '*':
      overflow = __builtin_mul_overflow(a, b, &r);
      break;
    case '%':
      if (b == 0) return std::optional<number>();
      r = b == -1 ? 0 : a % b;
      break;
    case 'D':  // DIV
      if (b == 0) return std::optional<number>();
      if (a == std::numeric_limits<std::int64_t>::min() && b == -1) overflow = true;
      r = overflow ? 0 : a / b;
      break;
    default:
      return make_error(errc::invalid_argument, "not an integer operator");
  }
  if (overflow) {
    binrelay::error e =
        make_error(errc::invalid_argument, "BIGINT value is out of range in '{} {} {}'", a, op, b);
    e.server_errno = 1690;
    return e;
  }
  number n;
  n.i = r;
  return std::optional<number>(n);
}

result<std::optional<number>> binary(const expression& e) {
  auto a = eval(e.args[0]);
  if (!a) return a;
  auto b = eval(e.args[1]);
  if (!b) return b;
  if (!*a || !*b) return std::optional<number>();
  char op = e.text == "DIV" ? 'D' : e.text.size() == 1 ? e.text[0] : '?';
  if (op == '?') return make_error(errc::invalid_argument, "not arithmetic: {}", e.text);
  if (op != '/' && (*a)->integer && (*b)->integer) return integer_op(op, (*a)->i, (*b)->i);
  number n;
  n.integer = false;
  long double x = (*a)->value(), y = (*b)->value();
  n.scale = std::max((*a)->scale, (*b)->scale);
  if (op == '/' || op == '%' || op == 'D') {
    if (y == 0) return std::optional<number>();
  }
  switch (op) {
    case '+':
      n.d = x + y;
      break;
    case '-':
      n.d = x - y;
      break;
    case '*':
      n.d = x * y;
      n.scale = (*a)->scale + (*b)->scale;
      break;
    case '/':
      n.d = x / y;
      n.scale = (*a)->scale + 4;
      break;
    case '%':
      n.d = std::fmod(x, y);
      break;
    default:
      n.integer = true;
      n.i = static_cast<std::int64_t>(x / y);
      break;
  }
  return std::optional<number>(n);
}

result<std::optional<number>> eval(const expression& e) {
  switch (e.type) {
    case kind::number: {
      auto n = literal(e.text);
      if (!n) return make_error(errc::invalid_argument, "not a decimal number: {}", e.text);
      return std::optional<number>(*n);
    }
    case kind::null:
      return std::optional<number>();
    case kind::unary: {
      if (e.text != "-") break;
      auto inner = eval(e.args[0]);
      if (!inner || !*inner) return inner;
      number n = **inner;
      if (n.integer && n.i == std::numeric_limits<std::int64_t>::min()) break;
      n.i = -n.i;
      n.d = -n.d;
      return std::optional<number>(n);
    }
    case kind::binary:
      return binary(e);
    default:
      break;
  }
  return make_error(errc::invalid_argument, "not arithmetic");
}

std::optional<std::int64_t> parse_local_datetime(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%d %H:%M:%S", &tm);
  if (!end) {
    tm = {};
    end = strptime(text.c_str(), "%Y-%m-%d", &tm);
  }
  if (!end || *end != '\0') return std::nullopt;
  tm.tm_isdst = -1;
  return static_cast<std::int64_t>(std::mktime(&tm));
}

// INTERVAL n unit as seconds.
std::optional<std::int64_t> interval_seconds(const expression& e) {
  if (e.type != kind::function_call || e.text != "INTERVAL" || e.args.size() != 2) {
    return std::nullopt;
  }
  auto amount = eval(e.args[0]);
  if (!amount || !*amount || !(*amount)->integer) return std::nullopt;
  const std::string& unit = e.args[1].text;
  std::int64_t per = unit == "SECOND"   ? 1
                     : unit == "MINUTE" ? 60
                     : unit == "HOUR"   ? 3600
                     : unit == "DAY"    ? 86400
                     : unit == "WEEK"   ? 7 * 86400
                                        : 0;
  if (per == 0) return std::nullopt;
  return (*amount)->i * per;
}

}  // namespace

result<std::optional<std::string>> evaluate_arithmetic(const expression& e) {
  auto n = eval(e);
  if (!n) return n.error();
  if (!*n) return std::optional<std::string>();
  if ((*n)->integer) return std::optional<std::string>(std::to_string((*n)->i));
  return std::optional<std::string>(
      fmt::format("{:.{}f}", static_cast<double>((*n)->d), std::min((*n)->scale, 30)));
}

std::optional<std::int64_t> evaluate_datetime(const expression& e, std::int64_t now_unix) {
  switch (e.type) {
    case kind::string:
      return parse_local_datetime(e.text);
    case kind::identifier: {
      std::string word = e.text;
      for (auto& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (word == "CURRENT_TIMESTAMP" || word == "LOCALTIMESTAMP") return now_unix;
      return std::nullopt;
    }
    case kind::function_call:
      if (e.args.empty() &&
          (e.text == "NOW" || e.text == "CURRENT_TIMESTAMP" || e.text == "SYSDATE" ||
           e.text == "LOCALTIME" || e.text == "LOCALTIMESTAMP")) {
        return now_unix;
      }
      return std::nullopt;
    case kind::binary: {
      if (e.text != "+" && e.text != "-") return std::nullopt;
      auto base = evaluate_datetime(e.args[0], now_unix);
      auto delta = interval_seconds(e.args[1]);
      if (!base || !delta) return std::nullopt;
      return e.text == "+" ? *base + *delta : *base - *delta;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace binrelay::sql
