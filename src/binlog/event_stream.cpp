#include "binlog/event_stream.h"

#include "binlog/checksum.h"

namespace binrelay::binlog {
namespace {

// MySQL 3.23 (binlog v1) headers are 13 bytes, so its START event is 13 + 56 bytes long;
// v3/v4 START_V3 events are 19 + 56.
constexpr std::uint32_t v1_start_event_size = 13 + 56;
constexpr std::size_t start_v3_body_size = 2 + 50 + 4;
// Percona Server 5.7's START_5_7_ENCRYPTION_EVENT; MySQL never used this code.
constexpr auto percona_start_encryption = static_cast<event_type>(159);

bool allowed_in_v3(event_type t) {
  return t == event_type::start_v3 || t == event_type::stop || t == event_type::rotate;
}

std::string trim_nuls(std::string_view s) {
  auto end = s.find('\0');
  return std::string(s.substr(0, end));
}

// The trailing CRC32 check, with a message that leaves "where" to the caller.
result<void> verify_crc32(bytes_view raw_event) {
  if (raw_event.size() < event_header_size + checksum_size) {
    return make_error(errc::truncated, "is too short ({} bytes) to hold a CRC32", raw_event.size());
  }
  const std::size_t covered = raw_event.size() - checksum_size;
  const std::uint32_t stored = load_u32(raw_event.data() + covered);
  const std::uint32_t computed = compute_event_crc32(raw_event.first(covered));
  if (stored != computed) {
    return make_error(errc::checksum_mismatch,
                      "fails its CRC32 check: stored {:#010x}, computed {:#010x}", stored,
                      computed);
  }
  return {};
}

}  // namespace

std::string event_type_label(event_type t) {
  std::string_view name = event_type_name(t);
  if (name.empty() || name.starts_with("Unknown") || name.starts_with("unknown")) {
    return fmt::format("type {}", static_cast<unsigned>(t));
  }
  return std::string(name);
}

event_stream::event_stream(event_stream_options options)
    : options_(options), fde_(default_format_description(options.assume_mariadb)) {}

void event_stream::reset() {
  fde_ = default_format_description(options_.assume_mariadb);
  have_fde_ = false;
  seen_first_event_ = false;
}

bool event_stream::needs_body(const event_header& h) const {
  if (h.type == event_type::format_description || h.type == event_type::start_v3) return true;
  return options_.verify_checksums && fde_.checksum_length() > 0;
}

result<void> event_stream::accept_header(const event_header& h) {
  const bool first = !seen_first_event_;
  seen_first_event_ = true;
  if (first && h.type == event_type::start_v3 && h.event_size == v1_start_event_size) {
    return make_error(errc::unsupported,
                      "is a binlog format v1 (MySQL 3.23) START event; format v1 is not supported");
  }
  if (h.type == event_type::mariadb_start_encryption) {
    return make_error(errc::encrypted,
                      "is MariaDB START_ENCRYPTION: the rest of the binlog is encrypted "
                      "(encrypt_binlog=ON) and no key was supplied");
  }
  if (h.type == percona_start_encryption) {
    return make_error(errc::encrypted,
                      "is Percona Server 5.7 START_ENCRYPTION: the rest of the binlog is "
                      "encrypted and no keyring was supplied");
  }
  if (fde_.binlog_version < 4 && have_fde_ && !allowed_in_v3(h.type)) {
    return make_error(errc::unsupported,
                      "belongs to a binlog format v3 (MySQL {}) file; only format v4 "
                      "(MySQL 5.0+, MariaDB) events are supported",
                      fde_.server_version);
  }
  return {};
}

result<void> event_stream::accept(const event_header& h, bytes_view raw_event) {
  if (auto r = accept_header(h); !r) return r;
  return accept_body(h, raw_event);
}

result<void> event_stream::accept_body(const event_header& h, bytes_view raw_event) {
  if (h.type == event_type::format_description) return accept_fde(h, raw_event);
  if (h.type == event_type::start_v3) return accept_start_v3(h, raw_event);
  if (options_.verify_checksums && fde_.checksum_length() > 0) return verify_crc32(raw_event);
  return {};
}

result<void> event_stream::accept_fde(const event_header&, bytes_view raw_event) {
  result<format_description> fde = decode_format_description(raw_event);
  if (!fde)
    return make_error(fde.error().code, "has an unreadable FORMAT_DESCRIPTION: {}",
                      fde.error().message);
  if (options_.verify_checksums && fde->checksum == checksum_alg::crc32) {
    if (auto r = verify_crc32(raw_event); !r) return r;
  }
  fde_ = std::move(*fde);
  have_fde_ = true;
  return {};
}

result<void> event_stream::accept_start_v3(const event_header&, bytes_view raw_event) {
  byte_reader in(raw_event.subspan(event_header_size));
  const std::uint16_t version = in.u16();
  const std::string server_version = trim_nuls(in.str(50));
  in.u32();
  if (!in.ok()) {
    return make_error(errc::corrupt, "is a START_V3 event shorter than its {}-byte body",
                      start_v3_body_size);
  }
  if (version <= 1) {
    return make_error(errc::unsupported,
                      "is a binlog format v1 (MySQL {}) START event; "
                      "format v1 is not supported",
                      server_version);
  }
  if (version >= 4) {
    return make_error(errc::corrupt, "is a START_V3 event claiming binlog format v{}", version);
  }
  format_description v3;
  v3.binlog_version = version;
  v3.server_version = server_version;
  v3.checksum = checksum_alg::off;
  fde_ = std::move(v3);
  have_fde_ = true;
  return {};
}

}  // namespace binrelay::binlog
