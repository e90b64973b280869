#include "protocol/replication_commands.h"

#include "protocol/constants.h"

namespace binrelay::protocol {
namespace {

result<void> check_command(bytes_view payload, command expected, std::string_view name) {
  if (payload.empty() || payload[0] != std::uint8_t(expected)) {
    return make_error(errc::protocol_error, "expected {} (0x{:02x})", name, std::uint8_t(expected));
  }
  return {};
}

}  // namespace

std::vector<std::uint8_t> build_register_slave(const register_slave& c) {
  std::vector<std::uint8_t> out;
  byte_writer w(out);
  w.u8(std::uint8_t(command::register_slave));
  w.u32(c.server_id);
  w.str_lenenc(c.host);
  w.str_lenenc(c.user);
  w.str_lenenc(c.password);
  w.u16(c.port);
  w.u32(c.recovery_rank);
  w.u32(c.master_id);
  return out;
}

result<register_slave> parse_register_slave(bytes_view payload) {
  if (auto ok = check_command(payload, command::register_slave, "COM_REGISTER_SLAVE"); !ok)
    return ok.error();
  byte_reader r(payload.subspan(1));
  register_slave c;
  c.server_id = r.u32();
  c.host = std::string(r.str_lenenc());
  c.user = std::string(r.str_lenenc());
  c.password = std::string(r.str_lenenc());
  c.port = r.u16();
  c.recovery_rank = r.u32();
  c.master_id = r.u32();
  if (!r.ok()) return make_error(errc::truncated, "COM_REGISTER_SLAVE is truncated");
  return c;
}

std::vector<std::uint8_t> build_binlog_dump(const binlog_dump& c) {
  std::vector<std::uint8_t> out;
  byte_writer w(out);
  w.u8(std::uint8_t(command::binlog_dump));
  w.u32(c.position);
  w.u16(c.flags);
  w.u32(c.server_id);
  w.str(c.file_name);
  return out;
}

result<binlog_dump> parse_binlog_dump(bytes_view payload) {
  if (auto ok = check_command(payload, command::binlog_dump, "COM_BINLOG_DUMP"); !ok)
    return ok.error();
  byte_reader r(payload.subspan(1));
  binlog_dump c;
  c.position = r.u32();
  c.flags = r.u16();
  c.server_id = r.u32();
  if (!r.ok()) return make_error(errc::truncated, "COM_BINLOG_DUMP is truncated");
  c.file_name = std::string(as_string_view(r.rest()));
  return c;
}

std::vector<std::uint8_t> build_binlog_dump_gtid(const binlog_dump_gtid& c) {
  std::vector<std::uint8_t> out;
  byte_writer w(out);
  w.u8(std::uint8_t(command::binlog_dump_gtid));
  w.u16(c.flags);
  w.u32(c.server_id);
  w.u32(std::uint32_t(c.file_name.size()));
  w.str(c.file_name);
  w.u64(c.position);
  w.u32(std::uint32_t(c.gtid_set.size()));
  w.bytes(c.gtid_set);
  return out;
}

result<binlog_dump_gtid> parse_binlog_dump_gtid(bytes_view payload) {
  if (auto ok = check_command(payload, command::binlog_dump_gtid, "COM_BINLOG_DUMP_GTID"); !ok)
    return ok.error();
  byte_reader r(payload.subspan(1));
  binlog_dump_gtid c;
  c.flags = r.u16();
  c.server_id = r.u32();
  c.file_name = std::string(r.str(r.u32()));
  c.position = r.u64();
  bytes_view set = r.bytes(r.u32());
  if (!r.ok()) return make_error(errc::truncated, "COM_BINLOG_DUMP_GTID is truncated");
  if (!r.empty()) {
    return make_error(errc::corrupt, "COM_BINLOG_DUMP_GTID has {} bytes after its GTID set",
                      r.remaining());
  }
  c.gtid_set.assign(set.begin(), set.end());
  return c;
}

}  // namespace binrelay::protocol
