#include "protocol/text_result_set.h"

#include "protocol/constants.h"

namespace binrelay::protocol {

std::vector<std::uint8_t> build_com_query(std::string_view sql) {
  std::vector<std::uint8_t> out;
  out.reserve(sql.size() + 1);
  out.push_back(std::uint8_t(command::query));
  out.insert(out.end(), sql.begin(), sql.end());
  return out;
}

result<std::string_view> parse_com_query(bytes_view payload) {
  if (payload.empty() || payload[0] != std::uint8_t(command::query)) {
    return make_error(errc::protocol_error, "expected COM_QUERY");
  }
  return as_string_view(payload.subspan(1));
}

result<column_definition> parse_column_definition(bytes_view payload) {
  byte_reader r(payload);
  column_definition c;
  c.catalog = std::string(r.str_lenenc());
  c.schema = std::string(r.str_lenenc());
  c.table = std::string(r.str_lenenc());
  c.org_table = std::string(r.str_lenenc());
  c.name = std::string(r.str_lenenc());
  c.org_name = std::string(r.str_lenenc());
  std::uint64_t fixed_length = r.lenenc();
  byte_reader f(r.bytes(fixed_length));
  c.charset = f.u16();
  c.column_length = f.u32();
  c.type = f.u8();
  c.flags = f.u16();
  c.decimals = f.u8();
  if (!r.ok() || !f.ok()) {
    return make_error(errc::truncated, "column definition of {} bytes is truncated",
                      payload.size());
  }
  return c;
}

std::vector<std::uint8_t> build_column_definition(const column_definition& c) {
  std::vector<std::uint8_t> out;
  byte_writer w(out);
  for (const std::string* s :
       {&c.catalog, &c.schema, &c.table, &c.org_table, &c.name, &c.org_name}) {
    w.str_lenenc(*s);
  }
  w.lenenc(0x0C);
  w.u16(c.charset);
  w.u32(c.column_length);
  w.u8(c.type);
  w.u16(c.flags);
  w.u8(c.decimals);
  w.u16(0);
  return out;
}

result<text_row> parse_text_row(bytes_view payload, std::size_t column_count) {
  byte_reader r(payload);
  text_row row;
  row.reserve(column_count);
  for (std::size_t i = 0; i < column_count && r.ok(); ++i) {
    bool is_null = false;
    std::uint64_t n = r.lenenc(&is_null);
    if (is_null) {
      row.emplace_back(std::nullopt);
    } else {
      row.emplace_back(std::string(r.str(n)));
    }
  }
  if (!r.ok()) {
    return make_error(errc::truncated, "text row of {} bytes ends before its {} columns",
                      payload.size(), column_count);
  }
  if (!r.empty()) {
    return make_error(errc::corrupt, "text row has {} bytes after its {} columns", r.remaining(),
                      column_count);
  }
  return row;
}

std::vector<std::uint8_t> build_text_row(const text_row& row) {
  std::vector<std::uint8_t> out;
  byte_writer w(out);
  for (const auto& value : row) {
    if (value) {
      w.str_lenenc(*value);
    } else {
      w.u8(0xFB);
    }
  }
  return out;
}

std::vector<std::vector<std::uint8_t>> build_query_response(const query_result& answer,
                                                            bool deprecate_eof) {
  std::vector<std::vector<std::uint8_t>> out;
  if (!answer.is_result_set()) {
    out.push_back(build_ok_packet(answer.ok));
    return out;
  }
  std::vector<std::uint8_t> count;
  byte_writer(count).lenenc(answer.columns.size());
  out.push_back(std::move(count));
  for (const auto& c : answer.columns) out.push_back(build_column_definition(c));
  eof_packet eof{answer.ok.warnings, answer.ok.status_flags};
  if (!deprecate_eof) out.push_back(build_eof_packet(eof));
  for (const auto& row : answer.rows) out.push_back(build_text_row(row));
  out.push_back(deprecate_eof ? build_ok_packet(answer.ok, eof_header) : build_eof_packet(eof));
  return out;
}

result<bool> query_response_reader::on_packet(bytes_view payload) {
  switch (state_) {
    case state::first:
      return on_first(payload);
    case state::columns: {
      auto c = parse_column_definition(payload);
      if (!c) return c.error();
      answer_.columns.push_back(std::move(*c));
      if (answer_.columns.size() == column_count_) {
        state_ = deprecate_eof_ ? state::rows : state::columns_eof;
      }
      return false;
    }
    case state::columns_eof: {
      auto eof = parse_eof_packet(payload);
      if (!eof) return eof.error();
      state_ = state::rows;
      return false;
    }
    case state::rows:
      return on_row_or_end(payload);
    case state::done:
      break;
  }
  return make_error(errc::protocol_error, "packet after the end of a query answer");
}

result<bool> query_response_reader::on_first(bytes_view payload) {
  if (is_err_packet(payload)) {
    auto err = parse_err_packet(payload);
    if (!err) return err.error();
    return err->to_error("query failed");
  }
  if (is_ok_packet(payload)) {
    auto ok = parse_ok_packet(payload);
    if (!ok) return ok.error();
    answer_.ok = std::move(*ok);
    state_ = state::done;
    return true;
  }
  byte_reader r(payload);
  column_count_ = r.lenenc();
  if (!r.ok() || !r.empty() || column_count_ == 0 || column_count_ > 4096) {
    return make_error(errc::protocol_error, "malformed column count in a query answer");
  }
  state_ = state::columns;
  return false;
}

result<bool> query_response_reader::on_row_or_end(bytes_view payload) {
  bool terminator = !payload.empty() && payload[0] == eof_header &&
                    (deprecate_eof_ ? payload.size() < max_frame_payload : payload.size() < 9);
  if (terminator) {
    if (deprecate_eof_) {
      auto ok = parse_ok_packet(payload);
      if (!ok) return ok.error();
      answer_.ok = std::move(*ok);
    } else {
      auto eof = parse_eof_packet(payload);
      if (!eof) return eof.error();
      answer_.ok.warnings = eof->warnings;
      answer_.ok.status_flags = eof->status_flags;
    }
    state_ = state::done;
    return true;
  }
  if (is_err_packet(payload)) {
    auto err = parse_err_packet(payload);
    if (!err) return err.error();
    return err->to_error("query failed while sending rows");
  }
  auto row = parse_text_row(payload, column_count_);
  if (!row) return row.error();
  answer_.rows.push_back(std::move(*row));
  return false;
}

}  // namespace binrelay::protocol
