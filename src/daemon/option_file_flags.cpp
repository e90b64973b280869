#include "daemon/option_file_flags.h"

#include <map>

#include <fmt/format.h>

namespace binrelay::daemon {
namespace {

[[noreturn]] void refuse(const option_file_entry& e, std::string_view what) {
  throw option_file_error(fmt::format("{}: {}", e.where(), what));
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The option `e` names, or nullptr for a `loose-` key of no option.
CLI::Option* option_of(CLI::App& app, const option_file_entry& e) {
  bool loose = e.key.starts_with("loose-");
  std::string name = loose ? e.key.substr(6) : e.key;
  CLI::Option* opt = app.get_option_no_throw("--" + name);
  if (opt) {
    if (!opt->get_configurable())
      refuse(e, fmt::format("'{}' cannot be set in a config file", name));
    return opt;
  }
  if (loose) return nullptr;
  if (ends_with(name, "password")) {
    refuse(e, fmt::format("passwords are not read from config files; put it alone in a file "
                          "(mode 0600) and name that file with '{}-file'",
                          name));
  }
  refuse(e, fmt::format("unknown option '{}' (binrelayd --help lists them)", name));
}

// Adds one line's value to `opt`, as the command line would.
void add_value(CLI::Option& opt, const option_file_entry& e) {
  bool is_flag = opt.get_expected_min() == 0;
  if (!e.value && !is_flag) refuse(e, fmt::format("'{}' needs a value ({} = ...)", e.key, e.key));
  try {
    if (is_flag) {
      opt.add_result(opt.get_flag_value(opt.get_single_name(), e.value.value_or("")));
    } else {
      opt.add_result(*e.value);
    }
  } catch (const CLI::Error& err) {
    refuse(e, err.what());
  }
}

void run(CLI::Option& opt, const option_file_entry& last) {
  try {
    opt.run_callback();
  } catch (const CLI::Error& err) {
    refuse(last, fmt::format("bad value for '{}': {}", last.key, err.what()));
  }
}

}  // namespace

std::vector<std::string> apply_option_file(CLI::App& app,
                                           const std::vector<option_file_entry>& entries) {
  std::vector<std::string> warnings;
  // The lines of each option not given on the command line, in file order.
  std::map<CLI::Option*, std::vector<const option_file_entry*>> lines;
  std::vector<CLI::Option*> order;
  for (const auto& e : entries) {
    CLI::Option* opt = option_of(app, e);
    if (!opt) {
      warnings.push_back(fmt::format("{}: ignoring unknown option '{}'", e.where(), e.key));
      continue;
    }
    if (opt->count() > 0) continue;  // the command line wins
    if (!lines.contains(opt)) order.push_back(opt);
    lines[opt].push_back(&e);
  }
  for (CLI::Option* opt : order) {
    const auto& given = lines[opt];
    bool repeatable = opt->get_items_expected_max() > 1;
    if (repeatable) {
      for (const auto* e : given) add_value(*opt, *e);
    } else {
      add_value(*opt, *given.back());
    }
    run(*opt, *given.back());
  }
  return warnings;
}

}  // namespace binrelay::daemon
