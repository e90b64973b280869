#include "protocol/prepared_statement.h"

#include <cstring>

#include "protocol/response_packets.h"
#include "protocol/text_result_set.h"

namespace binrelay::protocol {
namespace {

constexpr std::uint8_t com_stmt_prepare = 0x16;
constexpr std::uint8_t com_stmt_execute_byte = 0x17;
constexpr std::uint8_t com_stmt_close = 0x19;
constexpr std::uint8_t unsigned_flag = 0x80;

std::uint8_t type_of(const param_value& p) {
  switch (p.k) {
    case param_value::kind::null:
      return field_type::null;
    case param_value::kind::int64:
    case param_value::kind::uint64:
      return field_type::longlong;
    case param_value::kind::float_:
      return field_type::float_;
    case param_value::kind::double_:
      return field_type::double_;
    case param_value::kind::decimal:
      return field_type::newdecimal;
    case param_value::kind::text:
      return field_type::var_string;
    case param_value::kind::bytes:
      return field_type::blob;
  }
  return field_type::null;
}

void append_value(byte_writer& w, const param_value& p) {
  switch (p.k) {
    case param_value::kind::null:
      return;
    case param_value::kind::int64:
    case param_value::kind::uint64:
      w.u64(p.u);
      return;
    case param_value::kind::float_: {
      std::uint32_t bits;
      std::memcpy(&bits, &p.f, 4);
      w.u32(bits);
      return;
    }
    case param_value::kind::double_: {
      std::uint64_t bits;
      std::memcpy(&bits, &p.d, 8);
      w.u64(bits);
      return;
    }
    default:
      w.str_lenenc(p.str);
      return;
  }
}

result<param_value> read_value(byte_reader& r, std::uint8_t type, bool is_unsigned) {
  switch (type) {
    case field_type::longlong: {
      std::uint64_t v = r.u64();
      return is_unsigned ? param_value::of_uint(v) : param_value::of_int(std::int64_t(v));
    }
    case field_type::float_: {
      std::uint32_t bits = r.u32();
      float f;
      std::memcpy(&f, &bits, 4);
      return param_value::of_float(f);
    }
    case field_type::double_: {
      std::uint64_t bits = r.u64();
      double d;
      std::memcpy(&d, &bits, 8);
      return param_value::of_double(d);
    }
    case field_type::newdecimal:
      return param_value::of_decimal(std::string(r.str_lenenc()));
    case field_type::var_string:
      return param_value::of_text(std::string(r.str_lenenc()));
    case field_type::blob:
      return param_value::of_bytes(as_bytes(r.str_lenenc()));
    default:
      break;
  }
  return make_error(errc::unsupported, "parameter type 0x{:02x} is not supported", type);
}

}  // namespace

std::vector<std::uint8_t> build_com_stmt_prepare(std::string_view sql) {
  std::vector<std::uint8_t> out;
  out.reserve(sql.size() + 1);
  out.push_back(com_stmt_prepare);
  out.insert(out.end(), sql.begin(), sql.end());
  return out;
}

std::vector<std::uint8_t> build_com_stmt_close(std::uint32_t statement_id) {
  std::vector<std::uint8_t> out;
  byte_writer w(out);
  w.u8(com_stmt_close);
  w.u32(statement_id);
  return out;
}

void append_com_stmt_execute(std::vector<std::uint8_t>& out, std::uint32_t statement_id,
                             const std::vector<param_value>& params) {
  byte_writer w(out);
  w.u8(com_stmt_execute_byte);
  w.u32(statement_id);
  w.u8(0);   // no cursor
  w.u32(1);  // iteration count
  if (params.empty()) return;
  std::size_t bitmap = out.size();
  w.zeros((params.size() + 7) / 8);
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (params[i].k == param_value::kind::null) out[bitmap + i / 8] |= std::uint8_t(1u << (i % 8));
  }
  w.u8(1);  // new params bound: types follow
  for (const auto& p : params) {
    w.u8(type_of(p));
    w.u8(p.k == param_value::kind::uint64 ? unsigned_flag : 0);
  }
  for (const auto& p : params) append_value(w, p);
}

std::vector<std::uint8_t> build_com_stmt_execute(std::uint32_t statement_id,
                                                 const std::vector<param_value>& params) {
  std::vector<std::uint8_t> out;
  append_com_stmt_execute(out, statement_id, params);
  return out;
}

result<com_stmt_execute> parse_com_stmt_execute(bytes_view payload, std::size_t param_count) {
  byte_reader r(payload);
  com_stmt_execute out;
  bool is_execute = r.u8() == com_stmt_execute_byte;
  out.statement_id = r.u32();
  r.skip(5);  // flags, iteration count
  if (!r.ok() || !is_execute) {
    return make_error(errc::protocol_error, "malformed COM_STMT_EXECUTE header");
  }
  if (param_count == 0) return out;
  bytes_view nulls = r.bytes((param_count + 7) / 8);
  if (r.u8() != 1 || !r.ok()) {
    return make_error(errc::unsupported, "COM_STMT_EXECUTE without bound parameter types");
  }
  bytes_view types = r.bytes(2 * param_count);
  if (!r.ok()) return make_error(errc::protocol_error, "COM_STMT_EXECUTE types are truncated");
  for (std::size_t i = 0; i < param_count; ++i) {
    if (nulls[i / 8] & (1u << (i % 8))) {
      out.params.push_back(param_value::of_null());
      continue;
    }
    auto v = read_value(r, types[2 * i], types[2 * i + 1] & unsigned_flag);
    if (!v) return std::move(v).error();
    out.params.push_back(std::move(*v));
  }
  if (!r.ok() || !r.empty()) {
    return make_error(errc::protocol_error, "COM_STMT_EXECUTE values are truncated or too long");
  }
  return out;
}

result<bool> prepare_response_reader::on_first(bytes_view payload) {
  started_ = true;
  if (is_err_packet(payload)) {
    auto err = parse_err_packet(payload);
    if (!err) return err.error();
    return err->to_error("prepare failed");
  }
  byte_reader r(payload);
  bool ok_header_seen = r.u8() == 0x00;
  ok_.statement_id = r.u32();
  ok_.columns = r.u16();
  ok_.params = r.u16();
  r.skip(1);
  ok_.warnings = r.u16();
  if (!r.ok() || !ok_header_seen) {
    return make_error(errc::protocol_error, "malformed COM_STMT_PREPARE answer");
  }
  for (std::size_t n : {std::size_t(ok_.params), std::size_t(ok_.columns)}) {
    expected_.append(n, 'd');
    if (n > 0 && !deprecate_eof_) expected_ += 'e';
  }
  return expected_.empty();
}

result<bool> prepare_response_reader::on_packet(bytes_view payload) {
  if (!started_) return on_first(payload);
  if (expected_.empty()) {
    return make_error(errc::protocol_error, "packet after the end of a prepare answer");
  }
  char next = expected_.front();
  expected_.erase(0, 1);
  if (next == 'e') {
    if (auto eof = parse_eof_packet(payload); !eof) return eof.error();
  } else if (auto c = parse_column_definition(payload); !c) {
    return c.error();
  }
  return expected_.empty();
}

}  // namespace binrelay::protocol
