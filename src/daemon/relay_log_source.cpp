#include "daemon/relay_log_source.h"

#include "relay/transaction_reader.h"

namespace binrelay::daemon {
namespace {

class reader_cursor final : public applier::relay_log_cursor {
 public:
  reader_cursor(const relay::relay_store& store, binlog::log_position start)
      : reader_(store, std::move(start)) {}
  result<std::optional<binlog::transaction>> next() override { return reader_.next(); }
  const binlog::log_position& position() const override { return reader_.position(); }

 private:
  relay::transaction_reader reader_;
};

}  // namespace

std::unique_ptr<applier::relay_log_cursor> relay_log_source::open(
    const binlog::log_position& start) const {
  return std::make_unique<reader_cursor>(store_, start);
}

}  // namespace binrelay::daemon
