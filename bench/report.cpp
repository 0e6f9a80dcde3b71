#include "report.hpp"

#include <iostream>
#include <sstream>

namespace bench {

std::string fixed(double v, int digits) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(digits);
  s << v;
  return s.str();
}

void add_latency(Result& r, const LatencyHistogram& h) {
  r.add("lat_p50_ms", h.percentile(0.50) / 1e3, 2);
  r.add("lat_p99_ms", h.percentile(0.99) / 1e3, 2);
  r.add("lat_max_ms", h.max() / 1e3, 2);
  r.add("lat_mean_ms", h.mean() / 1e3, 2);
}

void add_other_cpu(Result& r, const Usage& a, const Usage& b) {
  r.add("other_cpu_s", other_cpu_seconds(a, b), 2);
}

void print_result(const std::string& scenario, const std::string& label, const Result& r) {
  std::ostringstream line;
  line << "RESULT scenario=" << scenario << " label=" << label;
  for (const auto& [k, v] : r.kv) {
    std::cout << "  " << k << " = " << v << "\n";
    line << " " << k << "=" << v;
  }
  std::cout << line.str() << std::endl;
}

}  // namespace bench
