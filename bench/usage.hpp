// A reading of the server's and the generator's CPU time and the server's
// memory, taken at the start and end of a measured window: a figure is the
// difference of two readings.
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "clock.hpp"

namespace bench {

struct Usage {
  double server_cpu = 0;
  double server_user_cpu = 0;  // the user-space part of server_cpu
  double self_cpu = 0;
  long server_rss_kib = 0;
  long server_hwm_kib = 0;
  double server_uptime = 0;
  double machine_busy = 0;
  Clock::time_point at{};
};

// Reads everything now; the server fields stay 0 without a pid (or when the
// process is gone).
Usage read_usage(pid_t server_pid);

// CPU seconds the rest of the machine used between two readings (other
// processes, and interrupt time not charged to a process), at least 0.
double other_cpu_seconds(const Usage& a, const Usage& b);

// CPU seconds of each thread of the server, by thread id; empty without a pid.
using ThreadCpu = std::vector<std::pair<pid_t, double>>;
ThreadCpu read_thread_cpu(pid_t server_pid);

// The server's CPU per thread since `before`, "a/b/c/d" in thread id order
// (for ours: the main thread, the ban store's writer, the room thread, then
// the I/O threads); empty without a pid.
std::string thread_cpu_since(pid_t server_pid, const ThreadCpu& before);

}  // namespace bench
