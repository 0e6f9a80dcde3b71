// Measurement helpers for the load generator: a latency histogram and
// readings of a process's CPU time and resident memory from /proc.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bench {

// Log-linear histogram of microsecond values: exact below 2048 µs, then 256
// buckets per power of two (under 0.4 % error). Constant memory.
class LatencyHistogram {
 public:
  void add(uint64_t us);
  uint64_t count() const { return count_; }
  uint64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / count_ : 0; }
  // The value at fraction `q` (0..1) of the sorted samples, 0 when empty.
  uint64_t percentile(double q) const;

 private:
  static constexpr int kLinear = 2048;
  static constexpr int kSubBits = 8;
  static constexpr int kBuckets = kLinear + (64 - 11) * (1 << kSubBits);
  static size_t bucket_of(uint64_t us);
  static uint64_t value_of(size_t bucket);

  std::array<uint64_t, kBuckets> buckets_{};
  uint64_t count_ = 0;
  uint64_t max_ = 0;
  uint64_t sum_ = 0;
};

// CPU seconds (user + system, all threads) of a process, from /proc/PID/stat.
std::optional<double> process_cpu_seconds(pid_t pid);
// The user-space part of it (utime): the server's own work, without the
// kernel's sends and receives.
std::optional<double> process_user_cpu_seconds(pid_t pid);
// CPU seconds of each thread of a process, by thread id (ascending), from
// /proc/PID/task/TID/stat. Empty when the process is gone.
std::vector<std::pair<pid_t, double>> thread_cpu_seconds(pid_t pid);
// A "VmXXX:" line of /proc/PID/status in KiB (e.g. "VmRSS").
std::optional<long> process_status_kib(pid_t pid, const std::string& key);
// Seconds since the process started (/proc/PID/stat starttime, /proc/uptime).
std::optional<double> process_uptime_seconds(pid_t pid);
// CPU seconds the whole machine spent busy (all cores, from /proc/stat).
double machine_busy_seconds();
// This process's CPU seconds (getrusage).
double self_cpu_seconds();
// This process's peak resident memory in KiB.
long self_max_rss_kib();

}  // namespace bench
