#include "common/error.h"

namespace binrelay {

std::string_view to_string(errc code) {
  switch (code) {
    case errc::truncated:
      return "truncated";
    case errc::corrupt:
      return "corrupt";
    case errc::checksum_mismatch:
      return "checksum mismatch";
    case errc::unsupported:
      return "unsupported";
    case errc::encrypted:
      return "encrypted";
    case errc::invalid_argument:
      return "invalid argument";
    case errc::too_large:
      return "too large";
    case errc::not_found:
      return "not found";
    case errc::io_error:
      return "I/O error";
    case errc::protocol_error:
      return "protocol error";
    case errc::server_error:
      return "server error";
    case errc::auth_failed:
      return "authentication failed";
    case errc::closed:
      return "connection closed";
    case errc::timed_out:
      return "timed out";
  }
  return "unknown error";
}

std::string error::describe() const {
  std::string out(to_string(code));
  if (!message.empty()) {
    out += ": ";
    out += message;
  }
  return out;
}

std::string describe_exception(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace binrelay
