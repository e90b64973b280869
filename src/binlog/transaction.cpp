#include "binlog/transaction.h"

#include <fmt/format.h>

namespace binrelay::binlog {

std::string transaction::gtid_text() const {
  if (!gtid) return "ANONYMOUS";
  if (gtid->mariadb) return gtid->mariadb_gtid.to_string();
  std::string sid = gtid->sid.to_string();
  if (!gtid->tag.empty()) return fmt::format("{}:{}:{}", sid, gtid->tag, gtid->gno);
  return fmt::format("{}:{}", sid, gtid->gno);
}

}  // namespace binrelay::binlog
