// connection: COM_STMT_PREPARE and COM_STMT_CLOSE.
#include "protocol/connection.h"
#include "protocol/constants.h"

namespace binrelay::protocol {

using boost::asio::awaitable;

awaitable<result<prepare_ok>> connection::prepare(std::string_view sql) {
  auto command = build_com_stmt_prepare(sql);  // (named: GCC 12 mishandles temporaries in co_await)
  if (auto r = co_await write_command(command); !r) co_return r.error();
  prepare_response_reader answer(capabilities_ & cap::deprecate_eof);
  while (true) {
    auto packet = co_await read_packet();
    if (!packet) co_return packet.error();
    auto done = answer.on_packet(*packet);
    if (!done) co_return answer_failure(std::move(done).error());
    if (*done) co_return answer.answer();
  }
}

awaitable<result<void>> connection::close_statement(std::uint32_t statement_id) {
  auto command = build_com_stmt_close(statement_id);
  co_return co_await write_command(command);
}

}  // namespace binrelay::protocol
