// Readings of a Redis server for the cluster benchmark: INFO (commands,
// network bytes, memory) and a stream's length, over a plain blocking
// loopback socket, taken at the start and the end of a measured window.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace bench {

struct RedisReading {
  bool ok = false;
  std::map<std::string, std::string> info;  // every `key:value` line of INFO all
  int64_t xlen = -1;                        // of the stream asked for; -1: not read

  // A numeric INFO field (0 when absent).
  double number(const std::string& key) const;
  // A field of a `cmdstat_<command>` line, e.g. stat("xadd", "calls").
  double stat(const std::string& command, const std::string& field) const;
};

// INFO all, and XLEN `stream` unless empty. ok = false when Redis did not answer.
RedisReading read_redis(uint16_t port, const std::string& stream);

}  // namespace bench
