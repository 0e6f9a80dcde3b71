#include "stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace bench {

size_t LatencyHistogram::bucket_of(uint64_t us) {
  if (us < kLinear) return us;
  const int exp = std::bit_width(us) - 1;  // >= 11
  const uint64_t sub = (us >> (exp - kSubBits)) & ((1 << kSubBits) - 1);
  return kLinear + static_cast<size_t>(exp - 11) * (1 << kSubBits) + sub;
}

uint64_t LatencyHistogram::value_of(size_t bucket) {
  if (bucket < kLinear) return bucket;
  const size_t rel = bucket - kLinear;
  const int exp = static_cast<int>(rel >> kSubBits) + 11;
  const uint64_t sub = rel & ((1 << kSubBits) - 1);
  // Middle of the bucket.
  const uint64_t low = ((uint64_t{1} << kSubBits) + sub) << (exp - kSubBits);
  return low + (uint64_t{1} << (exp - kSubBits)) / 2;
}

void LatencyHistogram::add(uint64_t us) {
  ++buckets_[bucket_of(us)];
  ++count_;
  sum_ += us;
  if (us > max_) max_ = us;
}

uint64_t LatencyHistogram::percentile(double q) const {
  if (count_ == 0) return 0;
  auto rank = static_cast<uint64_t>(q * static_cast<double>(count_));
  if (rank >= count_) rank = count_ - 1;
  uint64_t seen = 0;
  for (size_t b = 0; b < buckets_.size(); ++b) {
    seen += buckets_[b];
    if (seen > rank) return std::min(value_of(b), max_);
  }
  return max_;
}

namespace {

// Fields of a /proc/.../stat file, numbered as in proc(5), from `first` on;
// the command name (field 2) may hold spaces, so parsing starts after it.
std::optional<std::vector<unsigned long long>> stat_fields(const std::string& path, int first,
                                                           int last) {
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  const size_t paren = line.rfind(')');
  if (paren == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(paren + 2));
  std::string skip;
  for (int i = 3; i < first; ++i) fields >> skip;
  std::vector<unsigned long long> out(static_cast<size_t>(last - first + 1));
  for (auto& v : out) {
    if (!(fields >> v)) return std::nullopt;
  }
  return out;
}

double ticks_to_seconds(unsigned long long ticks) {
  static const long per_second = sysconf(_SC_CLK_TCK);
  return static_cast<double>(ticks) / static_cast<double>(per_second);
}

// utime (14) + stime (15) of a /proc/.../stat file, in seconds.
std::optional<double> stat_cpu_seconds(const std::string& path) {
  auto f = stat_fields(path, 14, 15);
  if (!f) return std::nullopt;
  return ticks_to_seconds((*f)[0] + (*f)[1]);
}

}  // namespace

std::optional<double> process_cpu_seconds(pid_t pid) {
  return stat_cpu_seconds("/proc/" + std::to_string(pid) + "/stat");
}

std::optional<double> process_user_cpu_seconds(pid_t pid) {
  auto f = stat_fields("/proc/" + std::to_string(pid) + "/stat", 14, 14);
  if (!f) return std::nullopt;
  return ticks_to_seconds((*f)[0]);
}

std::vector<std::pair<pid_t, double>> thread_cpu_seconds(pid_t pid) {
  std::vector<std::pair<pid_t, double>> out;
  std::error_code ec;
  const std::filesystem::path dir = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const pid_t tid = static_cast<pid_t>(std::stol(name));
    if (auto cpu = stat_cpu_seconds(entry.path().string() + "/stat")) out.emplace_back(tid, *cpu);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<double> process_uptime_seconds(pid_t pid) {
  auto start = stat_fields("/proc/" + std::to_string(pid) + "/stat", 22, 22);  // starttime
  std::ifstream up("/proc/uptime");
  double now = 0;
  if (!start || !(up >> now)) return std::nullopt;
  return now - ticks_to_seconds((*start)[0]);
}

std::optional<long> process_status_kib(pid_t pid, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  const std::string prefix = key + ":";
  while (std::getline(in, line)) {
    if (line.starts_with(prefix)) return std::stol(line.substr(prefix.size()));
  }
  return std::nullopt;
}

double machine_busy_seconds() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0,
                     steal = 0;
  if (!(in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal)) return 0;
  static const long ticks = sysconf(_SC_CLK_TCK);
  return static_cast<double>(user + nice + system + irq + softirq + steal) /
         static_cast<double>(ticks);
}

double self_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto secs = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  return secs(ru.ru_utime) + secs(ru.ru_stime);
}

long self_max_rss_kib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

}  // namespace bench
