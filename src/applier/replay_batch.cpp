#include "applier/replay_batch.h"

#include <fmt/format.h>

#include "applier/progress.h"

namespace binrelay::applier {
namespace {

std::string gtid_statement(const relay_transaction& txn, downstream_flavour f,
                           gtid_session& session) {
  if (f == downstream_flavour::mysql) return keep_gtid_sql(f, txn);
  const auto& g = txn.gtid->mariadb_gtid;
  if (session.known && session.domain_id == g.domain_id && session.server_id == g.server_id) {
    return fmt::format("SET SESSION gtid_seq_no={}", g.seq_no);
  }
  session = {true, g.domain_id, g.server_id};
  return fmt::format("SET SESSION gtid_domain_id={},server_id={},gtid_seq_no={}", g.domain_id,
                     g.server_id, g.seq_no);
}

}  // namespace

void replay_batch::append(const relay_transaction& txn, replay_encoder& encoder,
                          const replay_options& o, gtid_session& session) {
  std::uint32_t index = transactions++;
  auto add = [&](std::string_view statement, replay_part part) {
    if (!sql.empty()) sql += ';';
    sql += statement;
    steps.push_back({index, part, 0});
  };
  // MySQL refuses a BINLOG statement, the FDE's too, while GTID_NEXT still names the previous
  // transaction's GTID: the GTID comes first there.
  bool gtid_first = o.flavour == downstream_flavour::mysql;
  if (gtid_first) add(gtid_statement(txn, o.flavour, session), replay_part::gtid);
  if (o.send_format) add(format_statement(txn), replay_part::format);
  if (!gtid_first) add(gtid_statement(txn, o.flavour, session), replay_part::gtid);
  sql += ';';
  std::size_t before = sql.size();
  std::size_t n = encoder.append(txn, o.split, o.max_statement_bytes, sql);
  if (n == 0) sql.resize(before - 1);
  for (std::uint32_t g = 0; g < n; ++g) steps.push_back({index, replay_part::rows, g});
  // An empty transaction must write something to be logged with its GTID.
  if (o.progress || n == 0) add(record_progress_sql(o.worker, txn), replay_part::progress);
  if (o.commit) add("COMMIT", replay_part::commit);
}

replay_outcome interpret(const replay_batch& b, const protocol::connection::batch_result& r) {
  replay_outcome out;
  std::size_t done = std::min(r.results.size(), b.steps.size());
  for (std::size_t i = 0; i < done; ++i) {
    if (b.steps[i].part == replay_part::commit) out.committed = b.steps[i].txn + 1;
  }
  if (r.failure && done < b.steps.size()) {
    out.failed = b.steps[done];
    out.error = *r.failure;
  }
  return out;
}

}  // namespace binrelay::applier
