#pragma once
// Error values shared by every module. Decoders and storage return `result<T>` (result.h)
// carrying an `error`: a category (`errc`) plus a message that names what and where
// (file, offset, event type), written for an operator.

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

namespace binrelay {

enum class errc {
  truncated,          // input ends inside a structure
  corrupt,            // a field holds an impossible value
  checksum_mismatch,  // CRC32 of an event does not match
  unsupported,        // a valid but unsupported format or feature
  encrypted,          // data is encrypted and no key was supplied
  invalid_argument,   // caller or operator supplied a bad value (bad GTID text, bad SQL)
  too_large,          // exceeds a configured limit
  not_found,          // a file, GTID or position is not there
  io_error,           // the operating system refused a file operation
  protocol_error,     // the peer broke the wire protocol
  server_error,       // the peer answered with an ERR packet
  auth_failed,        // authentication was refused
  closed,             // the peer closed the connection
  timed_out,          // no answer in time
};

std::string_view to_string(errc code);

// What an exception says, for the one place that catches it at the top of a job (what() of a
// std::exception, else "unknown exception"). REQUIRES: e is not null.
std::string describe_exception(std::exception_ptr e);

struct error {
  errc code;
  std::string message;
  // For server_error: the MySQL error number; 0 otherwise.
  std::uint16_t server_errno = 0;

  // "truncated: <message>"
  std::string describe() const;
};

}  // namespace binrelay
