#pragma once
// Where a replica's dump request starts in the relay log, and whether it can be served at all:
// the start file of COM_BINLOG_DUMP_GTID (MySQL), COM_BINLOG_DUMP with @slave_connect_state
// (MariaDB) or a plain file/position COM_BINLOG_DUMP. Sans-I/O: works on the store's
// file list and retrieved GTIDs (docs/serving.md).
//
// Refusals are errc::server_error with server_errno 1236 (ER_MASTER_FATAL_ERROR_READING_BINLOG)
// and the message MySQL / MariaDB send, so the replica shows the usual
// "Got fatal error 1236 from source when reading data from binary log: '<msg>'".

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "gtid/gtid_set.h"
#include "gtid/mariadb_gtid.h"
#include "relay/relay_store_types.h"

namespace binrelay::relay {

struct dump_request {
  enum class mode { mysql_gtid, mariadb_gtid, file_position };
  mode how = mode::file_position;
  gtid::gtid_set mysql_gtids;                 // mysql_gtid: the replica's executed/retrieved set
  gtid::mariadb_gtid_position mariadb_gtids;  // mariadb_gtid: @slave_connect_state
  std::string file;                           // file_position: "" means the first file
  std::uint64_t position = 4;
};

struct dump_start {
  std::string file;
  std::uint64_t offset = 4;  // where to read on after the file's FDE (4: right after it)
};

// MySQL: the newest file whose `before` is a subset of the replica's set. Refused when the
// oldest file's `before` is not (purged transactions), or when the replica holds GTIDs of a
// source uuid the relay has seen but not retrieved ("Replica has more GTIDs than the source").
// MariaDB: the newest file whose GTID_LIST is at or behind the replica per domain. Refused when
// none is ("Could not find GTID state requested by slave in any binlog files") or the replica
// is ahead of what was retrieved in a domain the relay has.
// File/position: the named file (or the first); "Could not find first log file name in binary
// log index file" when it is not there; a position past its readable end is refused too.
// Also refused: an empty store (nothing to serve yet).
result<dump_start> find_dump_start(const std::vector<file_info>& files, const gtid_state& retrieved,
                                   const dump_request& request);

// The 1236 error with `message`.
binrelay::error fatal_reading_binlog(std::string message);

}  // namespace binrelay::relay
