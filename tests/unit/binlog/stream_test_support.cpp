#include "stream_test_support.h"

#include <fstream>
#include <random>
#include <stdexcept>

#include "binlog/checksum.h"
#include "support/fixtures.h"

namespace binrelay::binlog::test {

temp_dir::temp_dir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() / ("binrelay-stream-" + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<std::uint8_t> real_crc32_fde() {
  auto file = binrelay::test::read_file(binrelay::test::fixtures_dir() /
                                        "ChaosHour__go-parse/tests/mysql-bin.000012");
  const std::uint32_t size = load_u32(file.data() + 4 + 9);
  return std::vector<std::uint8_t>(file.begin() + 4, file.begin() + 4 + size);
}

std::vector<std::uint8_t> synthetic_event(event_type type, std::size_t body_size,
                                          std::uint32_t end_pos, std::uint8_t seed,
                                          checksum_alg alg) {
  std::vector<std::uint8_t> ev;
  ev.reserve(event_header_size + body_size + checksum_size);
  byte_writer out(ev);
  event_header h;
  h.timestamp = 1700000000;
  h.type = type;
  h.server_id = 7;
  h.log_pos = end_pos;
  encode_event_header(h, out);
  for (std::size_t i = 0; i < body_size; ++i) ev.push_back(std::uint8_t(seed + i * 31 + (i >> 9)));
  finalize_event(ev, alg);
  return ev;
}

std::vector<std::uint8_t> synthetic_binlog(const std::vector<std::size_t>& body_sizes) {
  std::vector<std::uint8_t> file(binlog_magic, binlog_magic + 4);
  auto fde = real_crc32_fde();
  file.insert(file.end(), fde.begin(), fde.end());
  std::uint8_t seed = 1;
  for (std::size_t size : body_sizes) {
    const auto end = std::uint32_t(file.size() + event_header_size + size + checksum_size);
    auto ev = synthetic_event(event_type::rows_query, size, end, seed++);
    file.insert(file.end(), ev.begin(), ev.end());
  }
  return file;
}

void write_bytes(const std::filesystem::path& p, bytes_view data) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), std::streamsize(data.size()));
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

}  // namespace binrelay::binlog::test
