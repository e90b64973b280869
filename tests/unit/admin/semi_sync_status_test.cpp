#include <catch2/catch.hpp>

#include "admin/semi_sync_status.h"

using namespace binrelay;

TEST_CASE("semi_sync_status: ON under both names while connected as a semi-sync replica") {
  relay::upstream_snapshot io;
  io.semi_sync = true;
  io.semi_sync_acks = 42;
  auto s = admin::semi_sync_status(io);
  CHECK(s.at("Rpl_semi_sync_replica_status") == "ON");
  CHECK(s.at("Rpl_semi_sync_slave_status") == "ON");
  CHECK(s.at("Binrelay_semi_sync_acks") == "42");
  io.semi_sync = false;
  s = admin::semi_sync_status(io);
  CHECK(s.at("Rpl_semi_sync_replica_status") == "OFF");
  CHECK(s.at("Rpl_semi_sync_slave_status") == "OFF");
  CHECK(s.at("Binrelay_semi_sync_acks") == "42");
}
