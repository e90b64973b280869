#include "support/fixtures.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace binrelay::test {
namespace {

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

std::vector<fixture> load_manifest() {
  std::ifstream in(fixtures_dir() / "MANIFEST.tsv");
  if (!in) throw std::runtime_error("cannot open " + (fixtures_dir() / "MANIFEST.tsv").string());
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header = split(line, '\t');
  std::vector<fixture> out;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> cols = split(line, '\t');
    fixture f;
    for (std::size_t i = 0; i < header.size() && i < cols.size(); ++i)
      f.columns[header[i]] = cols[i];
    f.name = f.columns["path"];
    f.path = fixtures_dir() / f.name;
    f.expect = f.columns["expect"];
    f.size = std::stoull("0" + f.columns["size"]);
    f.server_version = f.columns["server_version"];
    f.checksum = f.columns["checksum"];
    f.event_total = std::stoull("0" + f.columns["event_total"]);
    std::istringstream counts(f.columns["event_counts"]);
    std::string kv;
    while (counts >> kv) {
      auto eq = kv.find('=');
      if (eq != std::string::npos)
        f.event_counts[kv.substr(0, eq)] = std::stoull(kv.substr(eq + 1));
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

std::filesystem::path fixtures_dir() {
  return std::filesystem::weakly_canonical(BINRELAY_FIXTURES_DIR);
}

const std::vector<fixture>& all_fixtures() {
  static const std::vector<fixture> fixtures = load_manifest();
  return fixtures;
}

std::vector<std::uint8_t> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + p.string());
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {});
}

}  // namespace binrelay::test
