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
  double server_cpu = 0;                // all server processes together
  std::vector<double> server_cpu_each;  // per server process, in --pid order
  double aux_cpu = 0;                   // the --aux-pid processes together (e.g. redis-server)
  double server_user_cpu = 0;           // the user-space part of server_cpu
  double self_cpu = 0;
  long server_rss_kib = 0;
  long server_hwm_kib = 0;
  double server_uptime = 0;
  double machine_busy = 0;
  Clock::time_point at{};
};

// Reads everything now; the server fields stay 0 without a pid (or when the
// process is gone). CPU is summed over `servers`; memory and uptime are the
// first one's.
Usage read_usage(const std::vector<pid_t>& servers, const std::vector<pid_t>& aux = {});
inline Usage read_usage(pid_t server_pid) {
  return read_usage(server_pid ? std::vector<pid_t>{server_pid} : std::vector<pid_t>{});
}

// CPU seconds the rest of the machine used between two readings (other
// processes than the servers, the aux processes and the generator, and
// interrupt time not charged to a process), at least 0.
double other_cpu_seconds(const Usage& a, const Usage& b);

// CPU seconds of each thread of the server, by thread id; empty without a pid.
using ThreadCpu = std::vector<std::pair<pid_t, double>>;
ThreadCpu read_thread_cpu(pid_t server_pid);

// The server's CPU per thread since `before`, "a/b/c/d" in thread id order
// (for ours: the main thread, the ban store's writer, the room thread, then
// the I/O threads); empty without a pid.
std::string thread_cpu_since(pid_t server_pid, const ThreadCpu& before);

// Each server's CPU between two readings, "a/b/c" in --pid order.
std::string server_cpu_each_since(const Usage& a, const Usage& b);

}  // namespace bench
