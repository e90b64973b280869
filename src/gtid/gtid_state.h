#pragma once
// gtid_state: the GTIDs before a point of a binlog, in the flavour of the server that wrote
// it: a MySQL GTID set (PREVIOUS_GTIDS) or a MariaDB GTID position (GTID_LIST). What a relay
// file header, the retrieved and the executed sets hold.

#include <string>

#include "gtid/gtid_set.h"
#include "gtid/mariadb_gtid.h"

namespace binrelay::gtid {

struct gtid_state {
  bool mariadb = false;
  gtid_set mysql;
  mariadb_gtid_position position;
  friend bool operator==(const gtid_state&, const gtid_state&) = default;
  // MySQL set text or MariaDB position text.
  std::string to_string() const { return mariadb ? position.to_string() : mysql.to_string(); }
};

}  // namespace binrelay::gtid
