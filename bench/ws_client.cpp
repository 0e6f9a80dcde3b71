#include "ws_client.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace bench {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// One read buffer for every connection: the generator is single-threaded.
std::array<char, 256 * 1024> g_read_buffer;

// The sample nonce of RFC 6455 §1.3 and its accept value.
constexpr std::string_view kKey = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr std::string_view kAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

constexpr int kContinuation = 0x0, kText = 0x1, kBinary = 0x2, kClose = 0x8, kPing = 0x9,
              kPong = 0xA;

constexpr int kMaxEvents = 512;

std::string errno_text(const char* what, int err) {
  return std::string(what) + ": " + std::strerror(err);
}

}  // namespace

// --- EventLoop ---

EventLoop::EventLoop(asio::io_context& io) : epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)), watch_(io) {
  if (epoll_fd_ < 0) throw std::runtime_error(errno_text("epoll_create1", errno));
  // The io_context watches the epoll set itself: readable when any socket
  // has an event.
  watch_.assign(::dup(epoll_fd_));
  arm();
}

EventLoop::~EventLoop() {
  ::close(epoll_fd_);
}

bool EventLoop::add(int fd, Connection* c, uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = c;
  return ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) == 0;
}

void EventLoop::modify(int fd, Connection* c, uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = c;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev);
}

void EventLoop::remove(int fd) {
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
}

void EventLoop::stop() {
  stopped_ = true;
  error_code ignored;
  watch_.cancel(ignored);
}

void EventLoop::arm() {
  watch_.async_wait(asio::posix::stream_descriptor::wait_read, [this](const error_code& ec) {
    if (ec || stopped_) return;
    dispatch();
    arm();
  });
}

void EventLoop::dispatch() {
  std::array<epoll_event, kMaxEvents> events;
  // A few rounds per wake-up: under load the set is rarely empty.
  for (int round = 0; round < 4 && !stopped_; ++round) {
    const int n = ::epoll_wait(epoll_fd_, events.data(), kMaxEvents, 0);
    for (int i = 0; i < n && !stopped_; ++i) {
      static_cast<Connection*>(events[i].data.ptr)->on_event(events[i].events);
    }
    if (n < kMaxEvents) break;
  }
}

// --- Connection ---

Connection::Connection(EventLoop& loop, uint32_t index, ConnectionHandler& handler)
    : loop_(loop), index_(index), handler_(handler), mask_seed_(0x9E3779B9u * (index + 1)) {}

Connection::~Connection() {
  if (fd_ >= 0) ::close(fd_);
}

void Connection::start(const asio::ip::tcp::endpoint& server, const asio::ip::address& source,
                       const std::string& host_header) {
  state_ = State::kConnecting;
  fd_ = ::socket(server.protocol().family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return fail(errno_text("socket", errno));
  if (!source.is_unspecified()) {
    // Pick the source port at connect time so that one port can serve
    // several destinations.
    int one = 1;
    ::setsockopt(fd_, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    const asio::ip::tcp::endpoint local(source, 0);
    if (::bind(fd_, local.data(), static_cast<socklen_t>(local.size())) != 0) {
      return fail(errno_text("bind", errno));
    }
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  out_ =
      "GET /ws HTTP/1.1\r\nHost: " + host_header +
      "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + std::string(kKey) +
      "\r\nSec-WebSocket-Version: 13\r\n\r\n";
  if (::connect(fd_, server.data(), static_cast<socklen_t>(server.size())) != 0 &&
      errno != EINPROGRESS) {
    return fail(errno_text("connect", errno));
  }
  want_write_ = true;
  if (!loop_.add(fd_, this, EPOLLOUT)) return fail(errno_text("epoll_ctl", errno));
}

void Connection::on_event(uint32_t events) {
  if (state_ == State::kClosed || state_ == State::kIdle) return;
  if (state_ == State::kConnecting) return on_connected();
  if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable();
  if (state_ != State::kClosed && (events & EPOLLOUT)) flush();
}

void Connection::on_connected() {
  int err = 0;
  socklen_t len = sizeof err;
  ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err) return fail(errno_text("connect", err));
  state_ = State::kHandshaking;
  want_write_ = false;
  loop_.modify(fd_, this, EPOLLIN);
  flush();
}

void Connection::on_readable() {
  for (int i = 0; i < 8; ++i) {
    const ssize_t n = ::read(fd_, g_read_buffer.data(), g_read_buffer.size());
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      return fail(errno_text("read", errno));
    }
    if (n == 0) return fail("closed by server");
    consume(g_read_buffer.data(), static_cast<size_t>(n), Clock::now());
    if (state_ == State::kClosed) return;
    // Level-triggered: whatever is left is reported again.
    if (static_cast<size_t>(n) < g_read_buffer.size()) return;
  }
}

void Connection::consume(const char* data, size_t n, Clock::time_point now) {
  if (state_ == State::kHandshaking) {
    pending_.append(data, n);
    const size_t end = pending_.find("\r\n\r\n");
    if (end == std::string::npos) {
      if (pending_.size() > 16384) fail("handshake: response too long");
      return;
    }
    const std::string_view head(pending_.data(), end);
    if (!head.starts_with("HTTP/1.1 101") || head.find(kAccept) == std::string_view::npos) {
      return fail("handshake refused: " + std::string(head.substr(0, head.find('\r'))));
    }
    std::string rest = pending_.substr(end + 4);
    pending_.clear();
    pending_.shrink_to_fit();
    state_ = State::kOpen;
    handler_.on_open(*this);
    if (state_ != State::kOpen || rest.empty()) return;
    return consume(rest.data(), rest.size(), now);
  }
  if (state_ != State::kOpen) return;
  if (pending_.empty()) {
    const size_t used = parse_frames(data, n, now);
    if (state_ == State::kOpen && used < n) pending_.assign(data + used, n - used);
    return;
  }
  pending_.append(data, n);
  if (pending_.size() < pending_need_) return;  // a large frame still arriving
  const size_t used = parse_frames(pending_.data(), pending_.size(), now);
  if (state_ != State::kOpen) return;
  pending_.erase(0, used);
  if (pending_.empty()) pending_.shrink_to_fit();
}

size_t Connection::parse_frames(const char* data, size_t n, Clock::time_point now) {
  size_t off = 0;
  pending_need_ = 0;
  while (n - off >= 2 && state_ == State::kOpen) {
    const auto* p = reinterpret_cast<const unsigned char*>(data + off);
    const bool fin = p[0] & 0x80;
    const int opcode = p[0] & 0x0F;
    const bool masked = p[1] & 0x80;
    uint64_t len = p[1] & 0x7F;
    size_t header = 2;
    if (len == 126) {
      if (n - off < 4) break;
      len = uint64_t{p[2]} << 8 | p[3];
      header = 4;
    } else if (len == 127) {
      if (n - off < 10) break;
      len = 0;
      for (int i = 0; i < 8; ++i) len = len << 8 | p[2 + i];
      header = 10;
    }
    if (masked) header += 4;
    if (len > (uint64_t{1} << 32)) {
      fail("frame too large");
      return off;
    }
    if (n - off < header + len) {
      pending_need_ = header + len;
      break;
    }
    std::string_view payload(data + off + header, len);
    std::string unmasked;
    if (masked) {  // servers must not mask, but accept it
      unmasked.assign(payload);
      for (size_t i = 0; i < unmasked.size(); ++i) unmasked[i] ^= data[off + header - 4 + i % 4];
      payload = unmasked;
    }
    off += header + len;
    handle_frame(fin, opcode, payload, now);
  }
  return off;
}

void Connection::handle_frame(bool fin, int opcode, std::string_view payload,
                              Clock::time_point now) {
  switch (opcode) {
    case kText:
    case kBinary:
      if (fin) {
        if (opcode == kText) handler_.on_text(*this, payload, now);
      } else {
        fragments_.assign(payload);
        fragments_.push_back(static_cast<char>(opcode));  // remember the type at the end
      }
      return;
    case kContinuation: {
      if (fragments_.empty()) return fail("unexpected continuation frame");
      const char type = fragments_.back();
      fragments_.pop_back();
      fragments_.append(payload);
      if (!fin) {
        fragments_.push_back(type);
        return;
      }
      std::string whole;
      whole.swap(fragments_);
      if (type == kText) handler_.on_text(*this, whole, now);
      return;
    }
    case kPing:
      send_frame(kPong, payload);
      return;
    case kPong:
      return;
    case kClose: {
      int code = 0;
      if (payload.size() >= 2) {
        code = static_cast<unsigned char>(payload[0]) << 8 | static_cast<unsigned char>(payload[1]);
      }
      std::string reason(payload.size() > 2 ? payload.substr(2) : std::string_view{});
      return fail("close frame: " + reason, code);
    }
    default:
      return fail("unknown opcode");
  }
}

void Connection::send_text(std::string_view payload) {
  if (state_ != State::kOpen) return;
  send_frame(kText, payload);
}

void Connection::send_frame(int opcode, std::string_view payload) {
  const size_t len = payload.size();
  out_.push_back(static_cast<char>(0x80 | opcode));
  if (len < 126) {
    out_.push_back(static_cast<char>(0x80 | len));
  } else if (len < 65536) {
    out_.push_back(static_cast<char>(0x80 | 126));
    out_.push_back(static_cast<char>(len >> 8));
    out_.push_back(static_cast<char>(len & 0xFF));
  } else {
    out_.push_back(static_cast<char>(0x80 | 127));
    for (int i = 7; i >= 0; --i)
      out_.push_back(static_cast<char>((uint64_t{len} >> (8 * i)) & 0xFF));
  }
  mask_seed_ = mask_seed_ * 1664525u + 1013904223u;
  char mask[4];
  std::memcpy(mask, &mask_seed_, 4);
  out_.append(mask, 4);
  const size_t body = out_.size();
  out_.append(payload);
  for (size_t i = 0; i < len; ++i) out_[body + i] ^= mask[i % 4];
  if (!want_write_) flush();
}

void Connection::flush() {
  while (out_done_ < out_.size()) {
    const ssize_t n = ::send(fd_, out_.data() + out_done_, out_.size() - out_done_, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) break;
      return fail(errno_text("write", errno));
    }
    out_done_ += static_cast<size_t>(n);
  }
  const bool more = out_done_ < out_.size();
  if (!more) {
    out_.clear();
    out_done_ = 0;
  }
  if (more != want_write_ && state_ != State::kConnecting) {
    want_write_ = more;
    loop_.modify(fd_, this, more ? EPOLLIN | EPOLLOUT : EPOLLIN);
  }
}

void Connection::abort() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  if (fd_ >= 0) {
    loop_.remove(fd_);
    ::close(fd_);
    fd_ = -1;
  }
  std::string().swap(pending_);
  std::string().swap(out_);
  out_done_ = 0;
}

void Connection::fail(std::string_view why, int close_code) {
  if (state_ == State::kClosed) return;
  abort();
  handler_.on_closed(*this, why, close_code);
}

}  // namespace bench
