// connection: several commands written at once, their answers read in order.
#include "protocol/connection.h"

namespace binrelay::protocol {

using boost::asio::awaitable;

awaitable<result<std::vector<connection::batch_result>>> connection::pipeline(
    const std::vector<std::vector<std::uint8_t>>& commands) {
  std::vector<batch_result> out;
  if (compressed()) {
    for (const auto& c : commands) {
      if (auto r = co_await write_command(c); !r) co_return r.error();
      auto a = co_await read_answer();
      if (!a) co_return std::move(a).error();
      out.push_back(std::move(*a));
    }
    co_return out;
  }
  std::vector<std::uint8_t> wire;
  for (const auto& c : commands) {
    std::uint8_t sequence = 0;
    append_frames(wire, c, sequence);
  }
  if (auto r = co_await transport_.write_raw(wire); !r) co_return r.error();
  for (std::size_t i = 0; i < commands.size(); ++i) {
    transport_.set_sequence(1);
    auto a = co_await read_answer();
    if (!a) co_return std::move(a).error();
    out.push_back(std::move(*a));
  }
  co_return out;
}

}  // namespace binrelay::protocol
