// downstream_flavour: what the applier does differently on a MariaDB and a MySQL downstream.

#include <catch2/catch.hpp>

#include "applier/downstream_flavour.h"

using namespace binrelay::applier;

TEST_CASE("downstream_flavour: the greeting's version names MariaDB, anything else is MySQL") {
  CHECK(flavour_of_version("10.11.6-MariaDB-0+deb12u1-log") == downstream_flavour::mariadb);
  CHECK(flavour_of_version("5.5.5-10.11.6-MariaDB") == downstream_flavour::mariadb);
  CHECK(flavour_of_version("9.7.4-2") == downstream_flavour::mysql);
  CHECK(flavour_of_version("8.0.40") == downstream_flavour::mysql);
}

TEST_CASE("downstream_flavour: optimistic mode only on MariaDB, conservative on MySQL") {
  using enum parallel_mode;
  CHECK(effective_parallel_mode(downstream_flavour::mariadb, optimistic) == optimistic);
  CHECK(effective_parallel_mode(downstream_flavour::mariadb, conservative) == conservative);
  CHECK(effective_parallel_mode(downstream_flavour::mysql, optimistic) == conservative);
  CHECK(effective_parallel_mode(downstream_flavour::mysql, conservative) == conservative);
}

TEST_CASE("downstream_flavour: MySQL sessions get no MariaDB-only variable") {
  CHECK(session_setup_sql(downstream_flavour::mariadb, 0) ==
        "SET SESSION innodb_lock_wait_timeout=0,autocommit=0,binlog_annotate_row_events=0");
  CHECK(session_setup_sql(downstream_flavour::mysql, 10) ==
        "SET SESSION innodb_lock_wait_timeout=10,autocommit=0");
}
