// A blocking connection to Redis (hiredis), for one thread. Commands are
// sent as argument vectors, so binary values need no quoting. A connection
// error closes the connection; the next command reconnects.
#pragma once

#include <hiredis/hiredis.h>

#include <chrono>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cluster {

struct RedisAddress {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;
  std::string password;
};

// redis://[:password@]host[:port][/db]
std::expected<RedisAddress, std::string> parse_redis_url(std::string_view url);

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

class Redis {
 public:
  Redis(RedisAddress address, std::chrono::milliseconds timeout);
  ~Redis();
  Redis(const Redis&) = delete;
  Redis& operator=(const Redis&) = delete;

  bool connected() const { return ctx_ != nullptr; }
  std::expected<void, std::string> connect();
  void disconnect();
  // How long a command may wait for its reply (XREAD BLOCK waits longer).
  void set_timeout(std::chrono::milliseconds timeout);

  // One command and its reply. An error reply is an error too.
  std::expected<Reply, std::string> command(const std::vector<std::string_view>& args);
  // Pipelining: queue commands, then read their replies in order.
  void append(const std::vector<std::string_view>& args);
  std::expected<Reply, std::string> reply();

 private:
  std::expected<Reply, std::string> take(void* raw);
  std::string fail(std::string what);

  RedisAddress address_;
  std::chrono::milliseconds timeout_;
  redisContext* ctx_ = nullptr;
  int appended_ = 0;  // commands queued on a connection that has failed since
  std::string pending_error_;
};

// Reply accessors: a string-like reply's bytes, an integer's value.
std::string_view reply_str(const redisReply* r);
long long reply_int(const redisReply* r);

}  // namespace cluster
