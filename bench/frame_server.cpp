// frame_server: the fan-out benchmark's ceiling (bench/fanout.sh's third side with dump_reader
// readers). A trivial server that bounds what any binlog server can deliver to N dump_readers
// on this machine: at start it frames the whole binlog dump of one relay log file (what
// binrelayd sends a checksum-aware file/position dump from offset 4: artificial ROTATE, FDE,
// events, the final EOF packet) into one memory buffer, once. Each connection then gets its own
// thread with a blocking socket: the greeting, an OK for any login (no password check), the
// replica's connect-sequence queries answered by binrelay's replica_queries, OK for
// COM_REGISTER_SLAVE, and on COM_BINLOG_DUMP the whole buffer in as few system calls as the
// kernel allows:
//   --method write     send() of the whole buffer (the kernel copies it into the socket);
//   --method sendfile  sendfile() from a memfd holding it (no send-side copy: the page-cache
//                      pages go to the socket as they are; only the reader copies).
// No per-event work, no disk read, no framing copy at send time. The dump request itself
// (file, position, flags) is ignored: every dump gets the same bytes.

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "protocol/constants.h"
#include "protocol/handshake.h"
#include "protocol/handshake_response.h"
#include "protocol/packet_framing.h"
#include "protocol/response_packets.h"
#include "protocol/server_auth.h"
#include "protocol/server_handshake.h"
#include "protocol/text_result_set.h"
#include "relay/binlog_sender.h"
#include "relay/relay_store.h"
#include "relay/replica_queries.h"
#include "relay/stream_batch.h"

using namespace binrelay;

namespace {

constexpr std::uint8_t com_query = 0x03;
constexpr std::uint8_t com_binlog_dump = 0x12;
constexpr std::uint8_t com_binlog_dump_gtid = 0x1E;

struct settings {
  std::string data_dir;
  std::string basename = "mysql-bin";
  std::string file;
  std::uint16_t port = 0;
  std::string method = "write";
};

// The framed dump, numbered from sequence 1 (the dump command is packet 0), ending with EOF.
std::vector<std::uint8_t> frame_dump(const relay::relay_store& store, const std::string& file) {
  relay::dump_request request;
  request.file = file;
  request.position = 4;
  relay::sender_options options;
  options.replica_checksum_aware = true;  // dump_reader SETs @master_binlog_checksum
  auto sender = relay::binlog_sender::start(store, request, options);
  if (!sender) throw std::runtime_error(sender.error().message);
  std::vector<std::uint8_t> image;
  relay::stream_batch batch;
  std::uint8_t sequence = 1;
  for (;;) {
    batch.reset(sequence);
    auto n = sender->next_events(batch, std::size_t(64) << 20);
    if (!n) throw std::runtime_error(n.error().message);
    if (*n == 0) break;
    image.insert(image.end(), batch.frames().begin(), batch.frames().end());
    sequence = batch.next_sequence();
  }
  const std::vector<std::uint8_t> eof{0xFE, 0, 0, 0x02, 0};
  protocol::append_frames(image, eof, sequence);
  return image;
}

// A memfd holding `image` (for sendfile).
int image_memfd(const std::vector<std::uint8_t>& image) {
  int fd = memfd_create("frame_server", MFD_CLOEXEC);
  if (fd < 0 || ::ftruncate(fd, off_t(image.size())) != 0) throw std::runtime_error("memfd");
  std::size_t done = 0;
  while (done < image.size()) {
    ssize_t n = ::pwrite(fd, image.data() + done, image.size() - done, off_t(done));
    if (n <= 0) throw std::runtime_error("memfd write");
    done += std::size_t(n);
  }
  return fd;
}

bool send_all(int fd, const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= std::size_t(n);
  }
  return true;
}

bool sendfile_all(int fd, int from, std::size_t size) {
  off_t offset = 0;
  while (std::size_t(offset) < size) {
    ssize_t n = ::sendfile(fd, from, &offset, size - std::size_t(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
  }
  return true;
}

// One client on a blocking socket.
class client {
 public:
  client(int fd, relay::replica_queries queries) : fd_(fd), queries_(std::move(queries)) {}
  ~client() { ::close(fd_); }

  // Greeting and login; false when the client went away.
  bool login(const protocol::server_identity& identity, std::uint32_t id) {
    auto greeting = protocol::make_server_greeting(identity, id, protocol::generate_scramble());
    std::uint8_t sequence = 0;
    if (!send_payload(protocol::build_handshake_v10(greeting), sequence)) return false;
    auto response = read_payload(sequence);
    if (!response) return false;
    auto parsed = protocol::parse_handshake_response(*response);
    if (!parsed) return false;
    deprecate_eof_ = parsed->capabilities & protocol::cap::deprecate_eof;
    return send_ok(sequence);
  }

  // Answers commands until the dump (queries from the replica's query table, anything else,
  // COM_REGISTER_SLAVE included, with OK); true when the dump command came.
  bool until_dump() {
    for (;;) {
      std::uint8_t sequence = 0;
      auto command = read_payload(sequence);
      if (!command || command->empty()) return false;
      std::uint8_t code = (*command)[0];
      if (code == com_binlog_dump || code == com_binlog_dump_gtid) return true;
      bool sent = code == com_query ? answer(*command, sequence) : send_ok(sequence);
      if (!sent) return false;
    }
  }

  int fd() const { return fd_; }

 private:
  bool answer(const std::vector<std::uint8_t>& command, std::uint8_t& sequence) {
    std::string_view sql(reinterpret_cast<const char*>(command.data()) + 1, command.size() - 1);
    auto a = queries_.answer(sql);
    std::vector<std::vector<std::uint8_t>> payloads;
    if (auto* err = std::get_if<protocol::err_packet>(&a)) {
      payloads.push_back(protocol::build_err_packet(*err));
    } else if (auto& r = std::get<protocol::query_result>(a); r.is_result_set()) {
      payloads = protocol::build_query_response(r, deprecate_eof_);
    } else {
      payloads.push_back(protocol::build_ok_packet(r.ok));
    }
    std::vector<std::uint8_t> framed;
    for (const auto& p : payloads) protocol::append_frames(framed, p, sequence);
    return send_all(fd_, framed.data(), framed.size());
  }

  bool send_ok(std::uint8_t& sequence) {
    protocol::ok_packet ok;
    ok.status_flags = protocol::status::autocommit;
    return send_payload(protocol::build_ok_packet(ok), sequence);
  }

  bool send_payload(const std::vector<std::uint8_t>& payload, std::uint8_t& sequence) {
    std::vector<std::uint8_t> framed;
    protocol::append_frames(framed, payload, sequence);
    return send_all(fd_, framed.data(), framed.size());
  }

  std::optional<std::vector<std::uint8_t>> read_payload(std::uint8_t& sequence) {
    for (;;) {
      auto p = reader_.next(sequence);
      if (!p) return std::nullopt;
      if (*p) return std::move(**p);
      std::uint8_t buffer[4096];
      ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return std::nullopt;
      reader_.feed(bytes_view(buffer, std::size_t(n)));
    }
  }

  int fd_;
  relay::replica_queries queries_;
  protocol::packet_reader reader_;
  bool deprecate_eof_ = false;
};

int listen_on(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 512) != 0) {
    throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(port));
  }
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"frame_server: serves one pre-framed binlog dump from memory (fan-out ceiling)"};
  settings s;
  app.add_option("--data-dir", s.data_dir, "relay store (binrelay-import)")->required();
  app.add_option("--relay-log-name", s.basename, "its base name")->capture_default_str();
  app.add_option("--file", s.file, "the file whose dump is served")->required();
  app.add_option("--port", s.port, "port on 127.0.0.1")->required();
  app.add_option("--method", s.method, "write or sendfile")
      ->check(CLI::IsMember({"write", "sendfile"}));
  CLI11_PARSE(app, argc, argv);
  try {
    relay::store_options so;
    so.directory = s.data_dir;
    so.basename = s.basename;
    auto store = relay::relay_store::open(so);
    if (!store) throw std::runtime_error(store.error().message);
    const relay::relay_store& st = **store;
    const auto image = frame_dump(st, s.file);
    const int memfd = s.method == "sendfile" ? image_memfd(image) : -1;
    relay::serve_identity identity;
    protocol::server_identity greeting{relay::served_version(st, identity, true),
                                       "mysql_native_password", false};
    int listener = listen_on(s.port);
    std::fprintf(stderr, "frame_server: %zu bytes framed, listening on %u (%s)\n", image.size(),
                 unsigned(s.port), s.method.c_str());
    std::atomic<std::uint32_t> next_id{1};
    for (;;) {
      int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      std::thread([&, fd] {
        client c(fd, relay::replica_queries(st, identity));
        if (!c.login(greeting, next_id++) || !c.until_dump()) return;
        if (memfd >= 0) {
          sendfile_all(c.fd(), memfd, image.size());
        } else {
          send_all(c.fd(), image.data(), image.size());
        }
      }).detach();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "frame_server: %s\n", e.what());
    return 1;
  }
}
