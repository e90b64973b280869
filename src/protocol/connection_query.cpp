// connection: COM_QUERY, alone or as a batch of statements, and the reading of its answers.
#include "protocol/connection.h"
#include "protocol/constants.h"

namespace binrelay::protocol {

using boost::asio::awaitable;

namespace {

// A minimal OK packet on the wire: 4-byte header, 0x00, two 1-byte lengths, status, warnings.
constexpr std::size_t ok_packet_wire_size = 11;

}  // namespace

awaitable<result<query_result>> connection::query(std::string_view sql) {
  auto batch = co_await query_batch(sql);
  if (!batch) co_return std::move(batch).error();
  if (batch->failure) co_return std::move(*batch->failure);
  co_return std::move(batch->results.front());
}

awaitable<result<connection::batch_result>> connection::query_batch(std::string_view sql) {
  auto command = build_com_query(sql);
  if (auto r = co_await write_command(command); !r) co_return r.error();
  co_return co_await read_answer();
}

awaitable<result<connection::batch_result>> connection::query_batch(std::string_view sql,
                                                                    std::size_t statements) {
  if (auto r = co_await send_query(sql); !r) co_return r.error();
  co_return co_await read_answer(statements);
}

awaitable<result<void>> connection::send_query(std::string_view sql) {
  auto command = build_com_query(sql);
  co_return co_await write_command(command);
}

awaitable<result<connection::batch_result>> connection::read_answer(std::size_t statements) {
  batch_result out;
  query_response_reader answer(capabilities_ & cap::deprecate_eof);
  // The shortest answer to each statement is an OK packet.
  std::size_t expected = statements * ok_packet_wire_size;
  transport_.expect_bytes(expected > buffered_bytes() ? expected - buffered_bytes() : 0);
  while (true) {
    auto packet = co_await transport_.read_packet(sequence_check::strict);
    if (!packet) co_return packet.error();
    auto done = answer.on_packet(*packet);
    if (!done) {
      transport_.expect_bytes(0);
      binrelay::error e = answer_failure(std::move(done).error());
      if (e.code != errc::server_error) co_return e;
      out.failure = std::move(e);
      co_return out;
    }
    if (!*done) continue;
    out.results.push_back(std::move(answer.answer()));
    bool more = statements > 0 ? out.results.size() < statements
                               : (out.results.back().ok.status_flags & status::more_results_exist);
    if (!more) {
      transport_.expect_bytes(0);
      co_return out;
    }
    answer = query_response_reader(capabilities_ & cap::deprecate_eof);
  }
}

binrelay::error connection::answer_failure(binrelay::error e) {
  e.message = fmt::format("server {}: {}", server_name(), e.message);
  if (e.code != errc::server_error) close();
  return e;
}

}  // namespace binrelay::protocol
