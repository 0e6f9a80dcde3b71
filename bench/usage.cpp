#include "usage.hpp"

#include <algorithm>

#include "report.hpp"
#include "stats.hpp"

namespace bench {

Usage read_usage(const std::vector<pid_t>& servers, const std::vector<pid_t>& aux) {
  Usage u;
  u.at = Clock::now();
  u.self_cpu = self_cpu_seconds();
  u.machine_busy = machine_busy_seconds();
  for (pid_t pid : servers) {
    const double cpu = process_cpu_seconds(pid).value_or(0);
    u.server_cpu_each.push_back(cpu);
    u.server_cpu += cpu;
    u.server_user_cpu += process_user_cpu_seconds(pid).value_or(0);
  }
  for (pid_t pid : aux) u.aux_cpu += process_cpu_seconds(pid).value_or(0);
  if (!servers.empty()) {
    const pid_t server_pid = servers.front();
    u.server_rss_kib = process_status_kib(server_pid, "VmRSS").value_or(0);
    u.server_hwm_kib = process_status_kib(server_pid, "VmHWM").value_or(0);
    u.server_uptime = process_uptime_seconds(server_pid).value_or(0);
  }
  return u;
}

double other_cpu_seconds(const Usage& a, const Usage& b) {
  const double other = (b.machine_busy - a.machine_busy) - (b.server_cpu - a.server_cpu) -
                       (b.aux_cpu - a.aux_cpu) - (b.self_cpu - a.self_cpu);
  return std::max(0.0, other);
}

ThreadCpu read_thread_cpu(pid_t server_pid) {
  return server_pid ? thread_cpu_seconds(server_pid) : ThreadCpu{};
}

std::string thread_cpu_since(pid_t server_pid, const ThreadCpu& before) {
  std::string out;
  for (const auto& [tid, cpu] : read_thread_cpu(server_pid)) {
    double cpu0 = 0;
    for (const auto& [tid0, c0] : before) {
      if (tid0 == tid) cpu0 = c0;
    }
    if (!out.empty()) out += '/';
    out += fixed(cpu - cpu0, 2);
  }
  return out;
}

}  // namespace bench

namespace bench {

std::string server_cpu_each_since(const Usage& a, const Usage& b) {
  std::string out;
  for (size_t i = 0; i < b.server_cpu_each.size(); ++i) {
    const double before = i < a.server_cpu_each.size() ? a.server_cpu_each[i] : 0;
    if (!out.empty()) out += '/';
    out += fixed(b.server_cpu_each[i] - before, 2);
  }
  return out;
}

}  // namespace bench
