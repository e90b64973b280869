#pragma once
// Client-supplied text (user, database and plugin names, SQL, connection attributes) made safe
// for a log line or an error message sent back: it cannot forge a line, smuggle terminal
// escapes, or make one line (or one ERR packet) as long as the packet it came in.
//
//   - printable ASCII and well-formed UTF-8 pass through unchanged;
//   - '\n', '\r', '\t' and '\\' become \n, \r, \t and \\ (two characters each);
//   - every other control byte, DEL and every byte of malformed UTF-8 becomes \xNN;
//   - text longer than `max_bytes` (input bytes) keeps its first `max_bytes` (never cutting
//     a UTF-8 sequence) followed by "...(N bytes)", N being the whole input's size.
//
// Sans-I/O, thread-safe, allocation of the result only.

#include <cstddef>
#include <string>
#include <string_view>

namespace binrelay {

// Limits for the kinds of client text the servers log or echo.
inline constexpr std::size_t max_logged_name = 64;  // user, database, plugin, attribute
inline constexpr std::size_t max_logged_sql = 256;  // statement text

// The escaped, truncated form of `text` (see above). The result is at most
// 4 * max_bytes + 24 bytes long.
std::string printable(std::string_view text, std::size_t max_bytes = max_logged_name);

// `text` cut as printable() cuts it, without escaping: for messages whose parts were escaped
// already, such as the ERR packets a server sends (MySQL caps them at 512 bytes).
std::string clipped(std::string_view text, std::size_t max_bytes);

}  // namespace binrelay
