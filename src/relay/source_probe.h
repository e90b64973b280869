#pragma once
// source_probe: who a source is and what it holds, asked on a short-lived connection of its
// own before binrelayd streams from it and by the group monitor (docs/failover.md):
//   MySQL:   SELECT @@server_uuid, @@server_id, @@global.gtid_executed
//            then, for Group Replication, @@group_replication_group_name and
//            performance_schema.replication_group_members (needs SELECT on it; a server
//            without the plugin answers with an error or no member row: no group)
//   MariaDB: SELECT @@server_id, @@global.gtid_binlog_pos
// Every step is bounded by `timeout` (a stopped server accepts TCP but never answers).
//
// Threading: a coroutine on the executor given.

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "gtid/gtid_state.h"
#include "protocol/connection.h"
#include "relay/group_view.h"

namespace binrelay::relay {

struct source_identity {
  bool mariadb = false;
  std::string server_uuid;  // MySQL
  std::uint32_t server_id = 0;
  gtid::gtid_state executed;        // gtid_executed / gtid_binlog_pos
  std::optional<group_view> group;  // when the server is a Group Replication member
  std::string group_error;          // why the group could not be read ("" when it could)

  // "uuid" for MySQL, "server_id N" for MariaDB: tells two servers apart (source_list.h).
  std::string id() const;
};

boost::asio::awaitable<result<source_identity>> probe_source(boost::asio::any_io_executor executor,
                                                             protocol::connection_options options,
                                                             std::chrono::milliseconds timeout);

}  // namespace binrelay::relay
