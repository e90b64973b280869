#include "admin/status_row.h"

namespace binrelay::admin {

std::string modern_name(std::string_view legacy) {
  std::string s(legacy);
  auto replace = [&s](std::string_view from, std::string_view to) {
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
      s.replace(at, from.size(), to);
    }
  };
  replace("Slave", "Replica");
  replace("Master", "Source");
  replace("master", "Source");
  return s;
}

}  // namespace binrelay::admin
