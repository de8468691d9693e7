// Omnigraph side of the Kuzu comparison (scripts/bench_peers.sh): opens a
// loaded graph, runs the hop1/hop2/hop4 queries of bench/peers/omnigraph_hops.gq
// from every start id, and prints JSON lines in the shape kuzu_bench.js
// prints (per_start counts, then one summary with totals and medians).
//
//   og_peer_hops GRAPH_DIR STARTS_FILE QUERY_FILE
#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "omnigraph/graph.h"

namespace {

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: og_peer_hops GRAPH_DIR STARTS_FILE QUERY_FILE\n";
    return 2;
  }
  try {
    auto graph = omnigraph::Graph::open(argv[1]);
    std::string queries = read_file(argv[3]);
    std::vector<std::string> starts;
    {
      std::ifstream in(argv[2]);
      std::string line;
      while (std::getline(in, line)) {
        if (!line.empty()) starts.push_back(line);
      }
    }
    const std::vector<std::string> hops = {"hop1", "hop2", "hop4"};
    std::vector<std::vector<uint64_t>> counts(starts.size(), std::vector<uint64_t>(hops.size()));
    std::cout.precision(6);
    std::ostringstream summary;
    summary << R"({"kind":"summary","system":"omnigraph","starts":)" << starts.size();
    for (size_t h = 0; h < hops.size(); ++h) {
      auto run = [&](const std::string& start) {
        omnigraph::ReadRequest request;
        request.query_source = queries;
        request.query_name = hops[h];
        request.params_json = R"({"id":")" + start + R"("})";
        auto result = graph->read(request);
        return result.rows.empty() ? uint64_t{0}
                                   : static_cast<uint64_t>(result.rows[0][0].as_int());
      };
      run(starts.front());  // one untimed warm-up, like the Kuzu side
      std::vector<double> millis;
      uint64_t sum = 0;
      double cpu_start = cpu_seconds();
      auto wall_start = std::chrono::steady_clock::now();
      for (size_t i = 0; i < starts.size(); ++i) {
        auto t0 = std::chrono::steady_clock::now();
        counts[i][h] = run(starts[i]);
        auto t1 = std::chrono::steady_clock::now();
        millis.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        sum += counts[i][h];
      }
      double total =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
      double cpu = cpu_seconds() - cpu_start;
      std::sort(millis.begin(), millis.end());
      summary << ",\"" << hops[h] << "_total_seconds\":" << total << ",\"" << hops[h]
              << "_cpu_seconds\":" << cpu << ",\"" << hops[h]
              << "_median_ms\":" << millis[millis.size() / 2] << ",\"" << hops[h]
              << "_counts_sum\":" << sum;
    }
    for (size_t i = 0; i < starts.size(); ++i) {
      std::cout << R"({"kind":"per_start","system":"omnigraph","start":")" << starts[i] << "\"";
      for (size_t h = 0; h < hops.size(); ++h)
        std::cout << ",\"" << hops[h] << "\":" << counts[i][h];
      std::cout << "}\n";
    }
    std::cout << summary.str() << "}\n";
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
