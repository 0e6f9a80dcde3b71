// Command-line options of the load generator: one struct for every scenario
// (each reads the fields it needs), parsed from `--key value` pairs.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bench {

struct Options {
  std::string scenario;
  std::string host = "127.0.0.1";
  uint16_t port = 9200;
  // --port P1,P2,...: several servers (the nodes of a cluster); connection i
  // goes to ports[i % ports.size()]. ports[0] == port.
  std::vector<uint16_t> ports;
  pid_t pid = 0;  // the server process, for CPU and memory readings
  // --pid P1,P2,...: the server processes (CPU is their sum; memory, uptime
  // and threads are the first one's). pids[0] == pid, empty without --pid.
  std::vector<pid_t> pids;
  // --aux-pid P1,...: other processes whose CPU is reported apart (redis-server).
  std::vector<pid_t> aux_pids;
  // --redis-port P: a Redis whose INFO (commands, network bytes, memory) is
  // read at the start and the end of the measured window (0: none).
  uint16_t redis_port = 0;
  std::string redis_stream;  // --redis-stream KEY: its XLEN is read too
  std::string label = "server";
  size_t users = 0;  // 0: the scenario's default
  double rate = 100;
  double duration = 30;
  size_t senders = 0;   // 0: the scenario's default
  size_t inflight = 0;  // 0: the scenario's default (fanout-max 4, storm 200)
  std::string channel = "lobby";
  size_t connect_concurrency = 256;
  double setup_timeout = 180;
  double timeout = 60;
  size_t src_ips = 0;  // 0: one per 20000 connections
  size_t padding = 0;
  double idle_wait = 90;
  double min_uptime = 0;  // measure only once the server is this old
  size_t login_batch = 0;
  size_t login_users = SIZE_MAX;
  // idle: keep the connections open this long after measuring (default 0);
  // storm: the idle hold after the logins (default 30). < 0: the default.
  double hold = -1;
  // who-toggle
  double cams_pct = 10;      // users with the camera on
  double relations_pct = 5;  // users with one block or boot relation
  double interval_ms = 100;  // between two camera toggles
  uint64_t seed = 1;         // who gets a camera, a relation, the toggle
  size_t tag = 1;            // 1: sequence tag in client-side video bits (4, 8, 256)
  // storm
  size_t deltas = 0;                 // 1: log in with "extensions":["who-delta"]
  int64_t toggles = -1;              // camera toggles after the hold (-1: 10 with deltas, else 0)
  double toggle_interval_ms = 1000;  // between two of them
};

// Prints every scenario and option on stderr.
void usage();

// argv[1] is the scenario (checked by the caller), then `--key value` pairs.
// Prints what is wrong and returns nullopt on an unknown key or a bad value.
std::optional<Options> parse_options(int argc, char** argv);

}  // namespace bench
