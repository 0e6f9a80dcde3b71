#include "redis_info.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace bench {
namespace {

class Socket {
 public:
  explicit Socket(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    timeval tv{2, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) close();
  }
  ~Socket() { close(); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  bool ok() const { return fd_ >= 0; }

  bool send(std::initializer_list<std::string_view> args) {
    std::string out;
    out.push_back('*');
    out.append(std::to_string(args.size()));
    out.append("\r\n");
    for (auto a : args) {
      out.push_back('$');
      out.append(std::to_string(a.size()));
      out.append("\r\n");
      out.append(a);
      out.append("\r\n");
    }
    for (size_t done = 0; done < out.size();) {
      const ssize_t n = ::send(fd_, out.data() + done, out.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }

  // One reply: a bulk string's contents, an integer's digits, or nullopt.
  std::optional<std::string> reply() {
    auto line = read_line();
    if (!line || line->empty()) return std::nullopt;
    const char type = (*line)[0];
    if (type == ':' || type == '+') return line->substr(1);
    if (type != '$') return std::nullopt;
    const long len = std::strtol(line->c_str() + 1, nullptr, 10);
    if (len < 0) return std::nullopt;
    while (buf_.size() < static_cast<size_t>(len) + 2) {
      if (!fill()) return std::nullopt;
    }
    std::string body = buf_.substr(0, static_cast<size_t>(len));
    buf_.erase(0, static_cast<size_t>(len) + 2);
    return body;
  }

 private:
  std::optional<std::string> read_line() {
    for (;;) {
      if (auto at = buf_.find("\r\n"); at != std::string::npos) {
        std::string line = buf_.substr(0, at);
        buf_.erase(0, at + 2);
        return line;
      }
      if (!fill()) return std::nullopt;
    }
  }
  bool fill() {
    char tmp[16384];
    const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  int fd_ = -1;
  std::string buf_;
};

}  // namespace

double RedisReading::number(const std::string& key) const {
  auto it = info.find(key);
  return it == info.end() ? 0 : std::strtod(it->second.c_str(), nullptr);
}

// cmdstat_xadd:calls=12,usec=345,usec_per_call=28.75,...
double RedisReading::stat(const std::string& command, const std::string& field) const {
  auto it = info.find("cmdstat_" + command);
  if (it == info.end()) return 0;
  const std::string& v = it->second;
  const std::string want = field + "=";
  for (size_t at = 0; at < v.size();) {
    const size_t comma = std::min(v.find(',', at), v.size());
    if (v.compare(at, want.size(), want) == 0) {
      return std::strtod(v.c_str() + at + want.size(), nullptr);
    }
    at = comma + 1;
  }
  return 0;
}

RedisReading read_redis(uint16_t port, const std::string& stream) {
  RedisReading r;
  Socket s(port);
  if (!s.ok() || !s.send({"INFO", "all"})) return r;
  auto info = s.reply();
  if (!info) return r;
  for (size_t at = 0; at < info->size();) {
    size_t end = info->find('\n', at);
    if (end == std::string::npos) end = info->size();
    std::string_view line(info->data() + at, end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line[0] != '#') {
      if (auto colon = line.find(':'); colon != std::string_view::npos) {
        r.info.emplace(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
      }
    }
    at = end + 1;
  }
  r.ok = true;
  if (!stream.empty() && s.send({"XLEN", stream})) {
    if (auto n = s.reply()) r.xlen = std::strtoll(n->c_str(), nullptr, 10);
  }
  return r;
}

}  // namespace bench
