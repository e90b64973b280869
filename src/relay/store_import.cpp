#include "relay/store_import.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>

#include <fmt/ranges.h>

#include "binlog/event_header.h"
#include "relay/import_plan.h"
#include "relay/relay_file.h"
#include "relay/relay_index.h"
#include "relay/store_recovery.h"

namespace binrelay::relay {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t copy_chunk = std::size_t(1) << 20;
// The first event's (the FDE's) header flags, behind the magic.
constexpr std::size_t fde_flags_offset = sizeof(binlog::binlog_magic) + binlog::flags_offset;

// Basenames of the relay logs in `dir` (one per `<name>.index`).
std::vector<std::string> index_basenames(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const fs::path& p = entry.path();
    if (p.extension() == ".index") names.push_back(p.stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

result<existing_store> find_existing(const fs::path& dir, const std::string& requested,
                                     std::vector<std::string>& actions) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return existing_store{};
  auto found = index_basenames(dir);
  if (found.size() > 1) {
    return make_error(errc::invalid_argument,
                      "{} holds several relay logs ({}): import into a "
                      "directory with one",
                      dir.string(), fmt::join(found, ", "));
  }
  existing_store store;
  if (found.empty()) return store;
  if (!requested.empty() && requested != found.front()) {
    return make_error(errc::invalid_argument,
                      "{} holds the relay log {} ({}.index): import into it with "
                      "--relay-log-name {} or choose another directory",
                      dir.string(), found.front(), found.front(), found.front());
  }
  store.basename = found.front();
  auto recovered = recover_store(dir, store.basename, gtid_state{});
  if (!recovered) return std::move(recovered).error();
  store.files = std::move(recovered->files);
  store.retrieved = std::move(recovered->retrieved);
  actions = std::move(recovered->actions);
  if (!store.files.empty()) {
    auto header = read_file_header(dir / store.files.back().name);
    if (!header) return std::move(header).error();
    store.last_empty = header->end_offset == store.files.back().size;
  }
  return store;
}

// Copies bytes [0, end) of `in` to `out`, clearing the Format_desc's in-use flag on the way.
result<void> copy_prefix(std::ifstream& in, const import_scan& s, std::uint64_t end,
                         append_file& out) {
  std::vector<std::uint8_t> buf(copy_chunk);
  std::uint64_t done = 0;
  while (done < end) {
    auto n = std::size_t(std::min<std::uint64_t>(buf.size(), end - done));
    if (!in.read(reinterpret_cast<char*>(buf.data()), std::streamsize(n))) {
      return make_error(errc::io_error, "{}: cannot read at offset {}", s.path.string(), done);
    }
    if (done == 0 && s.in_use && n > fde_flags_offset) {
      buf[fde_flags_offset] &= std::uint8_t(~binlog::flag_binlog_in_use);
    }
    if (auto w = out.write(bytes_view(buf.data(), n)); !w) return w;
    done += n;
  }
  return {};
}

// The closing ROTATE of `s`, naming `next` instead, placed at `offset`.
result<std::vector<std::uint8_t>> renamed_rotate(std::ifstream& in, const import_scan& s,
                                                 const std::string& next, std::uint64_t offset) {
  std::uint8_t head[binlog::event_header_size];
  in.seekg(std::streamoff(s.rotate->offset));
  if (!in.read(reinterpret_cast<char*>(head), sizeof head)) {
    return make_error(errc::io_error, "{}: cannot read the Rotate at offset {}", s.path.string(),
                      s.rotate->offset);
  }
  auto h = binlog::decode_event_header(bytes_view(head, sizeof head));
  if (!h) return std::move(h).error();
  return encode_rotate(next, offset, s.fde.checksum, header_params{h->server_id, h->timestamp});
}

// Writes `bytes` (a callback filling `out`) to `<dir>/<name>` via a temporary file.
template <class Fill>
result<std::uint64_t> write_store_file(const fs::path& dir, const std::string& name, Fill fill) {
  fs::path tmp = dir / ("." + name + ".import");
  auto out = append_file::create(tmp, /*exclusive=*/false);
  if (!out) return std::move(out).error();
  if (auto r = fill(*out); !r) return std::move(r).error();
  if (auto r = out->sync(); !r) return std::move(r).error();
  std::uint64_t size = out->size();
  out->close();
  std::error_code ec;
  fs::rename(tmp, dir / name, ec);
  if (ec) {
    return make_error(errc::io_error, "cannot rename {} to {}: {}", tmp.string(), name,
                      ec.message());
  }
  return size;
}

result<std::uint64_t> copy_input(const fs::path& dir, const import_scan& s, const planned_file& f) {
  return write_store_file(dir, f.name, [&](append_file& out) -> result<void> {
    std::ifstream in(s.path, std::ios::binary);
    if (!in) return make_error(errc::io_error, "cannot open {}", s.path.string());
    if (auto r = copy_prefix(in, s, f.copy_end, out); !r) return r;
    if (!f.rotate_to) return {};
    auto rotate = renamed_rotate(in, s, *f.rotate_to, f.copy_end);
    if (!rotate) return std::move(rotate).error();
    return out.write(*rotate);
  });
}

result<std::uint64_t> write_continuation(const fs::path& dir, const std::string& name,
                                         const import_scan& last) {
  header_params p{last.server_id, std::uint32_t(std::time(nullptr))};
  auto bytes = encode_file_header(last.fde, last.after, p);
  return write_store_file(dir, name, [&](append_file& out) { return out.write(bytes); });
}

// The store as relay_store::open() will find it: nothing to recover, the planned GTIDs.
result<void> verify(const fs::path& dir, const import_plan& plan) {
  const std::string& last = plan.continuation ? *plan.continuation : plan.files.back().name;
  auto s = scan_relay_file(dir / last);
  if (!s) return std::move(s).error();
  if (!s->tail_reason.empty() || s->committed_end != s->file_size) {
    return make_error(errc::corrupt, "imported {} would be cut by recovery after offset {} ({})",
                      last, s->committed_end, s->tail_reason);
  }
  if (!gtids_continue(plan.end, s->after)) {
    return make_error(errc::corrupt, "imported {} ends at GTIDs {}, not {} as planned", last,
                      s->after.to_string(), plan.end.to_string());
  }
  return {};
}

result<import_report> write_plan(const fs::path& dir, const std::vector<import_scan>& scans,
                                 const existing_store& store, const import_plan& plan) {
  import_report report;
  report.basename = plan.basename;
  std::vector<std::string> names;
  for (const auto& f : store.files) {
    if (f.name != plan.replaced) names.push_back(f.name);
  }
  for (const auto& f : plan.files) {
    const import_scan& s = scans[f.input];
    auto size = copy_input(dir, s, f);
    if (!size) return std::move(size).error();
    report.files.push_back({s.name, f.name, *size, s.transactions, s.before, f.changes});
    names.push_back(f.name);
  }
  if (plan.continuation) {
    auto size = write_continuation(dir, *plan.continuation, scans.back());
    if (!size) return std::move(size).error();
    report.continuation = *plan.continuation;
    names.push_back(*plan.continuation);
  }
  if (auto r = write_index(dir, plan.basename, names); !r) return std::move(r).error();
  if (plan.replaced && std::find(names.begin(), names.end(), *plan.replaced) == names.end()) {
    std::error_code ec;
    fs::remove(dir / *plan.replaced, ec);
  }
  if (auto r = verify(dir, plan); !r) return std::move(r).error();
  report.retrieved = plan.end;
  return report;
}

}  // namespace

result<std::vector<import_scan>> scan_inputs(const std::vector<fs::path>& inputs) {
  if (inputs.empty()) return make_error(errc::invalid_argument, "no binlog files to import");
  std::vector<import_scan> scans;
  for (const auto& p : inputs) {
    auto s = scan_for_import(p);
    if (!s) return std::move(s).error();
    scans.push_back(std::move(*s));
  }
  return scans;
}

result<import_report> import_binlogs(const import_options& options) {
  auto scans = scan_inputs(options.inputs);
  if (!scans) return std::move(scans).error();
  return import_scanned(options, *scans);
}

result<import_report> import_scanned(const import_options& options,
                                     const std::vector<import_scan>& scanned) {
  std::vector<std::string> actions;
  auto store = find_existing(options.directory, options.basename, actions);
  if (!store) return std::move(store).error();
  auto plan = plan_import(scanned, *store, options.basename);
  if (!plan) return std::move(plan).error();
  std::error_code ec;
  fs::create_directories(options.directory, ec);
  if (ec) {
    return make_error(errc::io_error, "cannot create {}: {}", options.directory.string(),
                      ec.message());
  }
  auto report = write_plan(options.directory, scanned, *store, *plan);
  if (!report) return std::move(report).error();
  report->recovery_actions = std::move(actions);
  return report;
}

}  // namespace binrelay::relay
