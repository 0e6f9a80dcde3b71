#include "net/ws_session.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <sys/socket.h>
#include <sys/uio.h>

#include <array>
#include <cerrno>

#include "net/ws_handler.hpp"

namespace net {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

constexpr size_t kReadBufferSize = 64 * 1024;
constexpr int kReadsPerWakeup = 8;      // then yield to other connections
constexpr size_t kFramesPerWrite = 64;  // iovecs in one gathered write
constexpr auto kCloseLinger = std::chrono::seconds(2);

thread_local std::array<char, kReadBufferSize> tl_read_buffer;
// The buffer list of a gathered write, per thread rather than per write:
// value-initializing 64 buffers for every write cost more instructions than
// the rest of the write's user-space work.
thread_local std::array<iovec, kFramesPerWrite> tl_write_buffers;

// One sendmsg() of `count` buffers on a non-blocking socket. Asio's
// write_some does the same after copying the buffer list into an array of
// its own, which made it a tenth of a delivery's user-space instructions.
size_t send_gathered(int fd, iovec* bufs, size_t count, error_code& ec) {
  msghdr msg{};
  msg.msg_iov = bufs;
  msg.msg_iovlen = count;
  for (;;) {
    const ssize_t n = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) {
      ec = error_code(errno, boost::system::system_category());
      return 0;
    }
  }
}

std::string peer_ip(const asio::ip::tcp::socket& s) {
  error_code ec;
  auto ep = s.remote_endpoint(ec);
  return ec ? std::string("?") : ep.address().to_string();
}

}  // namespace

WsSession::WsSession(asio::ip::tcp::socket socket, uint64_t id, WsHandler& handler, WsLimits limits,
                     std::string early_bytes)
    : socket_(std::move(socket)),
      id_(id),
      handler_(handler),
      limits_(limits),
      remote_ip_(peer_ip(socket_)),
      early_bytes_(std::move(early_bytes)),
      parser_(limits.max_message),
      outbox_(limits.outbox_bytes) {}

WsSession::~WsSession() = default;

void WsSession::start() {
  error_code ec;
  socket_.non_blocking(true, ec);
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  handler_.on_open(shared_from_this());
  if (!early_bytes_.empty()) {
    std::string bytes = std::move(early_bytes_);
    auto failure = parser_.feed(bytes.data(), bytes.size(),
                                [this](auto kind, auto payload) { handle_frame(kind, payload); });
    if (failure) return start_close(failure->close_code, failure->reason);
  }
  wait_readable();
}

void WsSession::wait_readable() {
  if (finished_ || reading_paused_) return;
  socket_.async_wait(asio::ip::tcp::socket::wait_read,
                     [self = shared_from_this()](const error_code& ec) {
                       if (ec) return self->fail("read wait failed");
                       self->on_readable();
                     });
}

void WsSession::on_readable() {
  for (int i = 0; i < kReadsPerWakeup && !finished_; ++i) {
    error_code ec;
    const size_t n = socket_.read_some(asio::buffer(tl_read_buffer), ec);
    if (ec == asio::error::would_block) break;
    if (ec) return closing_ ? finish() : fail("connection closed by peer");
    if (closing_) continue;  // draining until the peer closes too
    auto failure = parser_.feed(tl_read_buffer.data(), n,
                                [this](auto kind, auto payload) { handle_frame(kind, payload); });
    if (failure) {
      spdlog::info("ws #{} {}: {}", id_, remote_ip_, failure->reason);
      return start_close(failure->close_code, failure->reason);
    }
    if (backlog_.load(std::memory_order_relaxed) >= limits_.max_backlog) {
      reading_paused_ = true;  // resumed by message_done()
      return;
    }
  }
  wait_readable();
}

void WsSession::handle_frame(WsParser::Kind kind, std::string_view payload) {
  if (closing_) return;
  switch (kind) {
    case WsParser::Kind::kText:
      backlog_.fetch_add(1, std::memory_order_relaxed);
      if (limits_.traffic) {
        Traffic::add(limits_.traffic->frames_in, 1);
        Traffic::add(limits_.traffic->bytes_in, payload.size());
      }
      handler_.on_text(shared_from_this(), payload);
      break;
    case WsParser::Kind::kBinary:
      handler_.on_binary(shared_from_this());
      break;
    case WsParser::Kind::kPing: {
      protocol::FrameBuilder pong;
      pong.text().append(payload);
      if (enqueue(pong.seal(0xA), false)) flush();
      break;
    }
    case WsParser::Kind::kPong:
      break;
    case WsParser::Kind::kClose: {
      uint16_t code = 1000;
      if (payload.size() >= 2) {
        code = static_cast<uint16_t>(static_cast<unsigned char>(payload[0]) << 8 |
                                     static_cast<unsigned char>(payload[1]));
      }
      start_close(code, "");
      break;
    }
  }
}

void WsSession::message_done() {
  const int threshold = limits_.max_backlog / 2;
  if (backlog_.fetch_sub(1, std::memory_order_relaxed) != threshold + 1) return;
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    if (!self->reading_paused_) return;
    self->reading_paused_ = false;
    self->wait_readable();
  });
}

bool WsSession::enqueue(protocol::Frame frame, bool snapshot) {
  switch (outbox_.push(std::move(frame), snapshot)) {
    case Outbox::Push::kQueued:
      return false;
    case Outbox::Push::kNeedsFlush:
      return true;
    case Outbox::Push::kOverflow:
      break;
  }
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->fail_slow("connection too slow to keep up with messages");
  });
  return false;
}

void WsSession::flush() {
  if (finished_ || in_flight_) return;
  write_some();
}

void WsSession::write_some() {
  while (!finished_) {
    if (!in_flight_) {
      const auto& batch = outbox_.take(kFramesPerWrite);
      if (batch.empty()) {
        if (closing_) {
          error_code ec;
          socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
          arm_close_timer(kCloseLinger, [this] { finish(); });
        }
        return;
      }
      in_flight_ = &batch;
      write_offset_ = 0;
      if (limits_.traffic) Traffic::add(limits_.traffic->frames_out, batch.size());
    }
    auto& bufs = tl_write_buffers;
    size_t count = 0, skip = write_offset_, total = 0;
    size_t first_unwritten = 0;  // index of the frame the write resumes in
    for (const auto& f : *in_flight_) {
      auto wire = f.wire();
      total += wire.size();
      if (skip >= wire.size()) {
        skip -= wire.size();
        ++first_unwritten;
        continue;
      }
      bufs[count++] = {const_cast<char*>(wire.data() + skip), wire.size() - skip};
      skip = 0;
    }
    error_code ec;
    const size_t n = send_gathered(socket_.native_handle(), bufs.data(), count, ec);
    if (ec == asio::error::would_block) {
      return wait_writable(outbox_.in_flight_snapshot(first_unwritten));
    }
    if (ec) return fail("write failed");
    if (limits_.traffic) Traffic::add(limits_.traffic->bytes_out, n);
    write_offset_ += n;
    if (write_offset_ == total) {
      in_flight_ = nullptr;  // released by the next take
      if (write_deadline_) write_deadline_->cancel();
    }
  }
}

// A client reading a big who list slowly is not a slow client: the send
// timeout runs only while other frames are being written.
void WsSession::wait_writable(bool who_list) {
  if (who_list) {
    if (write_deadline_) write_deadline_->cancel();
  } else {
    if (!write_deadline_)
      write_deadline_ = std::make_unique<asio::steady_timer>(socket_.get_executor());
    write_deadline_->expires_after(limits_.send_timeout);
    write_deadline_->async_wait([self = shared_from_this()](const error_code& ec) {
      if (!ec) self->fail_slow("write timed out");
    });
  }
  socket_.async_wait(asio::ip::tcp::socket::wait_write,
                     [self = shared_from_this()](const error_code& ec) {
                       if (ec) return self->fail("write wait failed");
                       self->write_some();
                     });
}

void WsSession::close(uint16_t code, std::string reason, std::chrono::milliseconds delay) {
  asio::post(socket_.get_executor(),
             [self = shared_from_this(), code, reason = std::move(reason), delay]() mutable {
               if (delay.count() <= 0) return self->start_close(code, std::move(reason));
               self->arm_close_timer(delay, [self, code, reason = std::move(reason)]() mutable {
                 self->start_close(code, std::move(reason));
               });
             });
}

void WsSession::arm_close_timer(std::chrono::milliseconds delay, std::function<void()> then) {
  if (!close_timer_) close_timer_ = std::make_unique<asio::steady_timer>(socket_.get_executor());
  close_timer_->expires_after(delay);
  close_timer_->async_wait(
      [self = shared_from_this(), then = std::move(then)](const error_code& ec) {
        if (!ec) then();
      });
}

void WsSession::start_close(uint16_t code, std::string reason) {
  if (closing_ || finished_) return;
  closing_ = true;
  // The close frame goes after what is queued; the socket closes once written.
  outbox_.push(protocol::make_close_frame(code, reason), false);
  flush();
}

void WsSession::fail(const char* why) {
  if (finished_) return;
  if (!closing_) spdlog::info("ws #{} {}: disconnected: {}", id_, remote_ip_, why);
  finish();
}

// Counted once per connection, however many frames overflowed meanwhile.
void WsSession::fail_slow(const char* why) {
  if (finished_) return;
  if (limits_.traffic) Traffic::add(limits_.traffic->slow_dropped, 1);
  fail(why);
}

void WsSession::finish() {
  if (finished_) return;
  finished_ = true;
  error_code ec;
  if (write_deadline_) write_deadline_->cancel();
  if (close_timer_) close_timer_->cancel();
  socket_.close(ec);
  handler_.on_close(shared_from_this());
}

}  // namespace net
