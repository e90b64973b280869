#include "applier/downstream_flavour.h"

#include <fmt/format.h>

namespace binrelay::applier {

downstream_flavour flavour_of_version(std::string_view server_version) {
  return server_version.find("MariaDB") != std::string_view::npos ? downstream_flavour::mariadb
                                                                  : downstream_flavour::mysql;
}

std::string_view flavour_name(downstream_flavour f) {
  return f == downstream_flavour::mariadb ? "MariaDB" : "MySQL";
}

parallel_mode effective_parallel_mode(downstream_flavour f, parallel_mode asked) {
  return f == downstream_flavour::mariadb ? asked : parallel_mode::conservative;
}

std::string session_setup_sql(downstream_flavour f, unsigned lock_wait_timeout_s) {
  // MariaDB: the downstream's binlog would otherwise carry our statement texts (a BINLOG
  // statement's base64) as Annotate_rows events.
  return fmt::format("SET SESSION innodb_lock_wait_timeout={},autocommit=0{}", lock_wait_timeout_s,
                     f == downstream_flavour::mariadb ? ",binlog_annotate_row_events=0" : "");
}

bool keeps_gtid(downstream_flavour f, const relay_transaction& txn) {
  if (!txn.gtid) return false;
  return txn.gtid->mariadb == (f == downstream_flavour::mariadb);
}

std::string keep_gtid_sql(downstream_flavour f, const relay_transaction& txn) {
  if (f == downstream_flavour::mysql) {
    if (!keeps_gtid(f, txn)) return "SET GTID_NEXT='AUTOMATIC'";
    return fmt::format("SET GTID_NEXT='{}'", txn.gtid_text());
  }
  if (!keeps_gtid(f, txn)) return {};
  const auto& g = txn.gtid->mariadb_gtid;
  return fmt::format("SET SESSION gtid_domain_id={},server_id={},gtid_seq_no={}", g.domain_id,
                     g.server_id, g.seq_no);
}

}  // namespace binrelay::applier
