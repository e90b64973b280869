// store_bench: the relay store's write ceiling. Reads a binlog file into memory, then appends
// every event to a fresh relay_store in batches (store_benchmark.h) and prints the throughput.
// bench/store.sh runs it.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "binlog/event_header.h"
#include "common/log.h"
#include "relay/relay_store.h"
#include "store_benchmark.h"

namespace {

using namespace binrelay;

struct loaded_binlog {
  std::vector<std::uint8_t> bytes;
  std::vector<bytes_view> events;
};

loaded_binlog load(const std::string& path) {
  loaded_binlog b;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  b.bytes.resize(std::filesystem::file_size(path));
  in.read(reinterpret_cast<char*>(b.bytes.data()), std::streamsize(b.bytes.size()));
  std::size_t pos = sizeof binlog::binlog_magic;
  while (pos + binlog::event_header_size <= b.bytes.size()) {
    std::uint32_t size = load_u32(b.bytes.data() + pos + 9);
    if (size < binlog::event_header_size || pos + size > b.bytes.size()) break;
    b.events.emplace_back(b.bytes.data() + pos, size);
    pos += size;
  }
  return b;
}

// One run on a fresh store; returns {wall, cpu} seconds.
std::pair<double, double> run(const loaded_binlog& b, const relay::store_options& options,
                              std::size_t batch_bytes) {
  std::filesystem::remove_all(options.directory);
  auto t = bench::measure_append_throughput(options, b.events, batch_bytes);
  if (!t) throw std::runtime_error(t.error().describe());
  std::filesystem::remove_all(options.directory);
  return {t->wall_seconds, t->cpu_seconds};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"store_bench: relay store append throughput on a real binlog"};
  std::string file;
  std::string dir;
  std::string sync = "none";
  std::size_t batch_kib = 64;
  int rounds = 1;
  app.add_option("binlog", file, "Binlog file to replay")->required();
  app.add_option("--dir", dir, "Scratch directory for the store (deleted)")->required();
  app.add_option("--sync", sync, "none, interval (1 s) or transaction")
      ->check(CLI::IsMember({"none", "interval", "transaction"}))
      ->capture_default_str();
  app.add_option("--batch-kib", batch_kib, "Bytes of events per append_batch")
      ->capture_default_str();
  app.add_option("--rounds", rounds, "Runs; the best is reported")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  try {
    log::set_level(log::level::warn);
    loaded_binlog b = load(file);
    relay::store_options o;
    o.directory = dir;
    o.sync.mode = sync == "none"       ? relay::sync_mode::none
                  : sync == "interval" ? relay::sync_mode::interval
                                       : relay::sync_mode::per_transaction;
    double best_wall = 0, best_cpu = 0;
    for (int r = 0; r < rounds; ++r) {
      auto [wall, cpu] = run(b, o, batch_kib * 1024);
      if (r == 0 || wall < best_wall) best_wall = wall;
      if (r == 0 || cpu < best_cpu) best_cpu = cpu;
    }
    double mb = double(b.bytes.size()) / 1e6;
    std::printf(
        "store sync=%-11s batch=%4zu KiB  %9zu events %7.1f MB  %6.2f s  %7.1f MB/s"
        "  (cpu %6.2f s, %7.1f MB/s per core)\n",
        sync.c_str(), batch_kib, b.events.size(), mb, best_wall, mb / best_wall, best_cpu,
        mb / best_cpu);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "store_bench: " << e.what() << "\n";
    return 1;
  }
}
