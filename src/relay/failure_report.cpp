#include "relay/failure_report.h"

namespace binrelay::relay {

namespace {

std::string without_numbers(std::uint32_t errno_value, std::string_view text) {
  std::string key = std::to_string(errno_value) + ":";
  for (char c : text) {
    if (c < '0' || c > '9') key += c;
  }
  return key;
}

}  // namespace

failure_report::decision failure_report::on_failure(std::uint32_t errno_value,
                                                    std::string_view text, failure_kind kind) {
  decision d;
  d.set_status = !failing_ || kind == failure_kind::permanent;
  failing_ = true;
  std::string key = without_numbers(errno_value, text);
  d.log = key != last_logged_;
  if (d.log) last_logged_ = std::move(key);
  return d;
}

}  // namespace binrelay::relay
