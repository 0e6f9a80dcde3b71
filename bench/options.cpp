#include "options.hpp"

#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <stdexcept>

namespace bench {

void usage() {
  std::cerr << R"(usage: loadgen SCENARIO [options]
scenarios:
  fanout      N users in one channel, R messages/s in total from S senders for T s
  fanout-max  N users, S senders each keeping K messages in flight, for T s
  join        N users connect, then all log in at once: time until all saw the full who list
  idle        N bare connections, then L of them log in: server memory per connection
  who-toggle  N users, C % with the camera on, P % with a block or boot relation; one user
              toggles its camera every I ms for T s: who-list latency at every client
  storm       N bare connections, then all log in with K logins awaiting their `me` at a
              time, then an idle hold of S s: login time, who-list traffic, drops, memory;
              with --deltas 1 the clients ask for who-list deltas, and after the hold one
              user toggles its camera T times: latency until every client shows it
options:
  --host H (127.0.0.1)  --port P (9200)  --pid SERVER_PID  --label NAME
  --port P1,P2,...  several servers (a cluster's nodes): connection i goes to the
                   (i mod count)-th; --pid P1,P2,...: their processes (CPU summed,
                   and per process in server_cpu_by_pid_s)
  --aux-pid P1,... (other processes, e.g. redis-server: CPU reported as aux_cpu_s)
  --redis-port P (0: a Redis read with INFO at the start and end of the window: its
                   commands, network bytes, memory)  --redis-stream KEY (its XLEN)
  --users N (2000; idle and storm 10000)  --rate R (100)  --duration T (30)
  --senders S (fanout 4, fanout-max 4)  --channel C (lobby)
  --inflight K (fanout-max: messages in flight per sender, 4; storm: logins awaiting
                   their `me`, 200)
  --padding BYTES (0: extra text in each message)
  --connect-concurrency C (256)  --setup-timeout S (180)  --timeout S (60)
  --src-ips K (0 = auto: 127.0.0.1..127.0.0.K as source addresses)
  --idle-wait S (90: wait up to S for the server's CPU to go idle first)
  --login-users L (idle: how many of the N connections then log in; default all)
  --hold S (idle: keep the connections open S seconds after measuring, for inspection,
                   default 0; storm: the idle hold after the logins, default 30)
  --min-uptime S (0: before measuring, wait until the server process is S seconds old)
  --login-batch B (0: all at once; otherwise fanout set-up logs users in B at a time,
                   each batch once the room settled)
  --cams-pct C (who-toggle: 10)  --relations-pct P (who-toggle: 5; half block, half boot
                   one random other user)  --interval-ms I (who-toggle: 100)
  --seed S (who-toggle: 1)  --tag 0|1 (who-toggle: 1 = also flip the client-side video
                   bits 4, 8, 256 so that every list tells which of 16 toggles it shows)
  --deltas 0|1 (storm: 0; 1 = ask for the who-delta extension in every login)
  --toggles T (storm: camera toggles after the hold; 10 with --deltas 1, else 0)
  --toggle-interval-ms I (storm: 1000)
  --timeout S (join, idle: give up after S s; storm: the logins and lists, then the
                   toggles, each give up after S s)
)";
}

namespace {

using Setter = std::function<void(const std::string&)>;

Setter size(size_t& field) {
  return [&field](const std::string& v) { field = std::stoul(v); };
}
Setter real(double& field) {
  return [&field](const std::string& v) { field = std::stod(v); };
}
Setter text(std::string& field) {
  return [&field](const std::string& v) { field = v; };
}

// "a,b,c" -> {a, b, c}; throws on an empty or bad item.
template <class T>
std::vector<T> numbers(const std::string& v) {
  std::vector<T> out;
  size_t at = 0;
  for (;;) {
    const size_t comma = v.find(',', at);
    const std::string item =
        v.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    size_t used = 0;
    const long long n = std::stoll(item, &used);
    if (used != item.size() || n < 0) throw std::invalid_argument(item);
    out.push_back(static_cast<T>(n));
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  return out;
}

std::map<std::string, Setter> setters_for(Options& o) {
  return {
      {"--host", text(o.host)},
      {"--port", [&](const std::string& v) { o.ports = numbers<uint16_t>(v); }},
      {"--pid", [&](const std::string& v) { o.pids = numbers<pid_t>(v); }},
      {"--aux-pid", [&](const std::string& v) { o.aux_pids = numbers<pid_t>(v); }},
      {"--redis-port",
       [&](const std::string& v) { o.redis_port = static_cast<uint16_t>(std::stoul(v)); }},
      {"--redis-stream", text(o.redis_stream)},
      {"--label", text(o.label)},
      {"--users", size(o.users)},
      {"--rate", real(o.rate)},
      {"--duration", real(o.duration)},
      {"--senders", size(o.senders)},
      {"--inflight", size(o.inflight)},
      {"--channel", text(o.channel)},
      {"--padding", size(o.padding)},
      {"--connect-concurrency", size(o.connect_concurrency)},
      {"--setup-timeout", real(o.setup_timeout)},
      {"--timeout", real(o.timeout)},
      {"--src-ips", size(o.src_ips)},
      {"--idle-wait", real(o.idle_wait)},
      {"--login-batch", size(o.login_batch)},
      {"--min-uptime", real(o.min_uptime)},
      {"--login-users", size(o.login_users)},
      {"--hold", real(o.hold)},
      {"--cams-pct", real(o.cams_pct)},
      {"--relations-pct", real(o.relations_pct)},
      {"--interval-ms", real(o.interval_ms)},
      {"--seed", [&](const std::string& v) { o.seed = std::stoull(v); }},
      {"--tag", size(o.tag)},
      {"--deltas", size(o.deltas)},
      {"--toggles", [&](const std::string& v) { o.toggles = std::stoll(v); }},
      {"--toggle-interval-ms", real(o.toggle_interval_ms)},
  };
}

// The defaults that depend on the scenario, and values kept in range.
void apply_defaults(Options& o) {
  if (o.ports.empty()) o.ports.push_back(o.port);
  o.port = o.ports.front();
  o.pids.erase(std::remove(o.pids.begin(), o.pids.end(), 0), o.pids.end());
  o.pid = o.pids.empty() ? 0 : o.pids.front();
  const bool storm = o.scenario == "storm";
  if (o.users == 0) o.users = o.scenario == "idle" || storm ? 10000 : 2000;
  if (o.inflight == 0) o.inflight = storm ? 200 : 4;
  if (o.hold < 0) o.hold = storm ? 30 : 0;
  if (o.toggles < 0) o.toggles = storm && o.deltas ? 10 : 0;
  if (o.toggle_interval_ms <= 0) o.toggle_interval_ms = 1000;
  if (o.senders == 0) o.senders = 4;
  o.senders = std::clamp<size_t>(o.senders, 1, o.users);
  if (o.connect_concurrency == 0) o.connect_concurrency = 1;
  o.cams_pct = std::clamp(o.cams_pct, 0.0, 100.0);
  o.relations_pct = std::clamp(o.relations_pct, 0.0, 100.0);
  if (o.interval_ms <= 0) o.interval_ms = 100;
  // One source address per 20,000 connections to one port: a loopback
  // address pair has ~28,000 ephemeral ports.
  if (o.src_ips == 0) o.src_ips = (o.users / o.ports.size() + 19999) / 20000;
  o.src_ips = std::clamp<size_t>(o.src_ips, 1, 250);
}

}  // namespace

std::optional<Options> parse_options(int argc, char** argv) {
  if (argc < 2) return std::nullopt;
  Options o;
  o.scenario = argv[1];
  const auto setters = setters_for(o);
  for (int i = 2; i < argc; ++i) {
    const std::string key = argv[i];
    if (i + 1 >= argc) {
      std::cerr << "missing value for " << key << "\n";
      return std::nullopt;
    }
    const std::string v = argv[++i];
    auto setter = setters.find(key);
    if (setter == setters.end()) {
      std::cerr << "unknown option " << key << "\n";
      return std::nullopt;
    }
    try {
      setter->second(v);
    } catch (const std::exception&) {
      std::cerr << "bad value for " << key << ": " << v << "\n";
      return std::nullopt;
    }
  }
  apply_defaults(o);
  return o;
}

}  // namespace bench
