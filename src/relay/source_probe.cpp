#include "relay/source_probe.h"

#include <charconv>

namespace binrelay::relay {
namespace asio = boost::asio;

namespace {

constexpr std::string_view members_sql =
    "SELECT MEMBER_ID, MEMBER_HOST, MEMBER_PORT, MEMBER_STATE, MEMBER_ROLE "
    "FROM performance_schema.replication_group_members";

// The first row of `r`, which must have `columns` columns.
result<protocol::text_row> single_row(const protocol::query_result& r, std::size_t columns,
                                      std::string_view sql) {
  if (r.rows.size() != 1 || r.rows[0].size() != columns)
    return make_error(errc::protocol_error, "unexpected answer to {}", sql);
  return r.rows[0];
}

std::uint32_t to_u32(const std::optional<std::string>& text) {
  std::uint32_t v = 0;
  if (text) std::from_chars(text->data(), text->data() + text->size(), v);
  return v;
}

asio::awaitable<result<void>> read_identity(protocol::connection& c, source_identity& id) {
  std::string_view sql = id.mariadb ? "SELECT @@server_id, @@global.gtid_binlog_pos"
                                    : "SELECT @@server_id, @@global.gtid_executed, @@server_uuid";
  auto r = co_await c.query(sql);
  if (!r) co_return std::move(r).error();
  auto row = single_row(*r, id.mariadb ? 2 : 3, sql);
  if (!row) co_return std::move(row).error();
  id.server_id = to_u32((*row)[0]);
  id.executed.mariadb = id.mariadb;
  std::string gtids = (*row)[1].value_or("");
  if (id.mariadb) {
    auto p = gtid::mariadb_gtid_position::parse(gtids);
    if (!p) co_return make_error(errc::protocol_error, "@@gtid_binlog_pos: {}", p.error().message);
    id.executed.position = std::move(*p);
  } else {
    auto s = gtid::gtid_set::parse(gtids);
    if (!s) co_return make_error(errc::protocol_error, "@@gtid_executed: {}", s.error().message);
    id.executed.mysql = std::move(*s);
    id.server_uuid = (*row)[2].value_or("");
  }
  co_return result<void>();
}

// The group, when the server is a member; errors are kept in id.group_error.
asio::awaitable<void> read_group(protocol::connection& c, source_identity& id) {
  auto name = co_await c.query("SELECT @@global.group_replication_group_name");
  if (!name) {  // no plugin: unknown variable
    id.group_error = name.error().describe();
    co_return;
  }
  auto members = co_await c.query(members_sql);
  if (!members) {
    id.group_error = members.error().describe();
    co_return;
  }
  auto view = group_view_from_rows(members->rows, id.server_uuid);
  if (!view) {
    id.group_error = view.error().describe();
    co_return;
  }
  if (!name->rows.empty() && !name->rows[0].empty())
    view->group_name = name->rows[0][0].value_or("");
  if (view->is_group()) id.group = std::move(*view);
}

}  // namespace

std::string source_identity::id() const {
  return mariadb ? "server_id " + std::to_string(server_id) : server_uuid;
}

asio::awaitable<result<source_identity>> probe_source(asio::any_io_executor executor,
                                                      protocol::connection_options options,
                                                      std::chrono::milliseconds timeout) {
  options.connect_timeout = timeout;
  options.read_timeout = timeout;
  protocol::connection c(executor);
  if (auto r = co_await c.connect_and_authenticate(options); !r) co_return std::move(r).error();
  source_identity id;
  id.mariadb = c.greeting().is_mariadb();
  if (auto r = co_await read_identity(c, id); !r) co_return std::move(r).error();
  if (!id.mariadb) co_await read_group(c, id);
  c.close();
  co_return id;
}

}  // namespace binrelay::relay
