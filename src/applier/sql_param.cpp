#include "applier/sql_param.h"

#include "applier/sql_literal.h"
#include "binlog/decimal.h"
#include "binlog/json_binary.h"

namespace binrelay::applier {

using binlog::value_kind;
using protocol::param_value;

result<param_value> to_param(const binlog::column_info& c, const binlog::column_value& v) {
  switch (v.kind) {
    case value_kind::absent:
    case value_kind::null:
      return param_value::of_null();
    case value_kind::int_:
      return param_value::of_int(v.i);
    case value_kind::uint_:
      return param_value::of_uint(v.u);
    case value_kind::float_:
      return param_value::of_float(v.f);
    case value_kind::double_:
      return param_value::of_double(v.d);
    case value_kind::decimal: {
      std::string text;
      binlog::format_decimal(v.bytes, c.meta >> 8, c.meta & 0xFF, text);
      return param_value::of_decimal(std::move(text));
    }
    case value_kind::old_decimal:
      return param_value::of_decimal(std::string(as_string_view(v.bytes)));
    case value_kind::bit:
      return param_value::of_uint(bit_value(v.bytes));
    case value_kind::year:
      return param_value::of_uint(v.u ? v.u + 1900 : 0);
    case value_kind::date:
    case value_kind::time:
    case value_kind::datetime:
    case value_kind::timestamp: {
      std::string text;
      append_temporal_text(v, text);
      return param_value::of_text(std::move(text));
    }
    case value_kind::json: {
      std::string text;
      if (auto r = binlog::json_binary_to_text(v.bytes, text); !r) return r.error();
      // Text in the connection's character set: MySQL refuses JSON from a binary string.
      return param_value::of_text(std::move(text));
    }
    case value_kind::string:
    case value_kind::geometry:
    case value_kind::vector:
      return param_value::of_bytes(v.bytes);
    case value_kind::json_diff:
      return make_error(errc::unsupported,
                        "partial JSON updates (binlog_row_value_options="
                        "PARTIAL_JSON) cannot be applied yet");
  }
  return make_error(errc::unsupported, "column type {} cannot be applied",
                    binlog::column_type_name(c.type));
}

}  // namespace binrelay::applier
