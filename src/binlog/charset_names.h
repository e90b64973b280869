#pragma once
// The character set of a collation number, as Query events carry them (character_set_client,
// collation_connection, collation_server): what mysqlbinlog needs to print `/*!\C utf8mb4 */`
// (the client's charset command) before a statement, so that the mysql client sends the
// statement's bytes in the charset the source parsed them in.
//
// The table covers the collations of the charsets servers default to and clients commonly
// use (latin1, utf8mb3, utf8mb4, binary, ascii, ucs2/utf16/utf32, cp1250/1251, gbk, big5,
// sjis, euckr); an unknown number yields "".

#include <cstdint>
#include <string_view>

namespace binrelay::binlog {

// The charset name of collation `id` (MySQL 8.0+/MariaDB 10.6+ names: "utf8mb3", not "utf8"),
// or "" when the table does not know it.
std::string_view charset_of_collation(std::uint32_t id);

}  // namespace binrelay::binlog
