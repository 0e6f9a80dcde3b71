#include "cluster/redis.hpp"

#include <charconv>

namespace cluster {
namespace {

timeval to_timeval(std::chrono::milliseconds ms) {
  return {.tv_sec = static_cast<time_t>(ms.count() / 1000),
          .tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

bool parse_int(std::string_view s, int& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

std::expected<RedisAddress, std::string> parse_redis_url(std::string_view url) {
  RedisAddress a;
  constexpr std::string_view scheme = "redis://";
  if (!url.starts_with(scheme)) return std::unexpected("a Redis URL starts with redis://");
  url.remove_prefix(scheme.size());
  if (auto at = url.rfind('@'); at != url.npos) {
    auto auth = url.substr(0, at);
    a.password = std::string(auth.substr(auth.find(':') == auth.npos ? 0 : auth.find(':') + 1));
    url.remove_prefix(at + 1);
  }
  if (auto slash = url.find('/'); slash != url.npos) {
    auto db = url.substr(slash + 1);
    if (!db.empty() && !parse_int(db, a.db)) return std::unexpected("bad Redis database number");
    url = url.substr(0, slash);
  }
  if (auto colon = url.rfind(':'); colon != url.npos && url.find(']') == url.npos) {
    if (!parse_int(url.substr(colon + 1), a.port)) return std::unexpected("bad Redis port");
    url = url.substr(0, colon);
  }
  if (!url.empty()) a.host = std::string(url);
  return a;
}

std::string_view reply_str(const redisReply* r) {
  if (!r || !r->str) return {};
  return {r->str, r->len};
}

long long reply_int(const redisReply* r) {
  if (!r) return 0;
  if (r->type == REDIS_REPLY_INTEGER) return r->integer;
  long long v = 0;
  auto s = reply_str(r);
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

Redis::Redis(RedisAddress address, std::chrono::milliseconds timeout)
    : address_(std::move(address)), timeout_(timeout) {}

Redis::~Redis() {
  disconnect();
}

void Redis::disconnect() {
  if (ctx_) redisFree(ctx_);
  ctx_ = nullptr;
}

std::string Redis::fail(std::string what) {
  if (ctx_ && ctx_->err) what += std::string(": ") + ctx_->errstr;
  disconnect();
  return what;
}

std::expected<void, std::string> Redis::connect() {
  disconnect();
  ctx_ = redisConnectWithTimeout(address_.host.c_str(), address_.port, to_timeval(timeout_));
  if (!ctx_) return std::unexpected("cannot allocate a Redis connection");
  if (ctx_->err) return std::unexpected(fail("connecting to Redis"));
  redisSetTimeout(ctx_, to_timeval(timeout_));
  redisEnableKeepAlive(ctx_);
  if (!address_.password.empty()) {
    if (auto r = command({"AUTH", address_.password}); !r) return std::unexpected(r.error());
  }
  if (address_.db != 0) {
    const auto db = std::to_string(address_.db);
    if (auto r = command({"SELECT", db}); !r) return std::unexpected(r.error());
  }
  return {};
}

void Redis::set_timeout(std::chrono::milliseconds timeout) {
  timeout_ = timeout;
  if (ctx_) redisSetTimeout(ctx_, to_timeval(timeout));
}

void Redis::append(const std::vector<std::string_view>& args) {
  if (!ctx_) {
    if (auto c = connect(); !c) pending_error_ = c.error();
  }
  ++appended_;
  if (!ctx_) return;
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (auto a : args) argv.push_back(a.data()), lens.push_back(a.size());
  if (redisAppendCommandArgv(ctx_, static_cast<int>(args.size()), argv.data(), lens.data()) !=
      REDIS_OK) {
    pending_error_ = fail("sending to Redis");
  }
}

std::expected<Reply, std::string> Redis::reply() {
  if (appended_ > 0) --appended_;
  if (!ctx_) {
    return std::unexpected(pending_error_.empty() ? "not connected to Redis" : pending_error_);
  }
  void* raw = nullptr;
  if (redisGetReply(ctx_, &raw) != REDIS_OK) return std::unexpected(fail("reading from Redis"));
  return take(raw);
}

std::expected<Reply, std::string> Redis::take(void* raw) {
  Reply r(static_cast<redisReply*>(raw));
  if (!r) return std::unexpected(fail("no reply from Redis"));
  if (r->type == REDIS_REPLY_ERROR)
    return std::unexpected("Redis: " + std::string(reply_str(r.get())));
  return r;
}

std::expected<Reply, std::string> Redis::command(const std::vector<std::string_view>& args) {
  append(args);
  return reply();
}

}  // namespace cluster
