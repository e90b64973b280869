#include "applier/replay_batch.h"

#include "applier/apply_worker.h"
#include "applier/progress.h"

namespace binrelay::applier {

void replay_batch::append(const relay_transaction& txn, replay_encoder& encoder,
                          const replay_options& o) {
  std::uint32_t index = transactions++;
  auto add = [&](std::string_view statement, replay_part part, std::uint32_t group = 0) {
    if (!sql.empty()) sql += ';';
    sql += statement;
    steps.push_back({index, part, group});
  };
  if (o.send_format) add(format_statement(txn), replay_part::format);
  if (auto g = keep_gtid_sql(txn); !g.empty()) add(g, replay_part::gtid);
  add("BEGIN", replay_part::begin);
  if (!sql.empty()) sql += ';';
  std::size_t before = sql.size();
  std::size_t n = encoder.append(txn, o.split, o.max_statement_bytes, sql);
  if (n == 0) sql.resize(before - 1);
  for (std::uint32_t g = 0; g < n; ++g) steps.push_back({index, replay_part::rows, g});
  add(record_progress_sql(o.worker, txn), replay_part::progress);
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
