// The results of a run: `key = value` lines for people and one
// `RESULT scenario=... label=... key=value ...` line that run.sh parses.
// Keys are stable: run.sh and the tables in README.md name them.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "stats.hpp"
#include "usage.hpp"

namespace bench {

// `v` with `digits` decimals.
std::string fixed(double v, int digits);

// key=value pairs in the order they were added.
struct Result {
  std::vector<std::pair<std::string, std::string>> kv;
  void add(const std::string& k, double v, int digits) { kv.emplace_back(k, fixed(v, digits)); }
  void add(const std::string& k, uint64_t v) { kv.emplace_back(k, std::to_string(v)); }
  void add(const std::string& k, int v) { kv.emplace_back(k, std::to_string(v)); }
};

// lat_p50_ms, lat_p99_ms, lat_max_ms, lat_mean_ms.
void add_latency(Result& r, const LatencyHistogram& h);

// other_cpu_s: a busy machine skews results, so every run says how busy.
void add_other_cpu(Result& r, const Usage& a, const Usage& b);

// Prints the list on stdout, then the RESULT line.
void print_result(const std::string& scenario, const std::string& label, const Result& r);

}  // namespace bench
