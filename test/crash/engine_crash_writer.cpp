// Engine crash test helper: opens the graph at argv[1] and, on `threads`
// threads, commits single-row writes through Graph::change forever: inserts
// of new Person rows ("r<run>-t<thread>-<i>") and updates of the thread's
// own row ("own-<thread>"). Before each write it prints
// "try <name> <age>", after the commit returns "done <name> <age> <commit id>",
// each line with one write(2) (atomic on a pipe). The parent kills it with
// SIGKILL.
//
// `og_engine_crash_writer <graph> load <rows>` instead bulk-loads <rows>
// Person rows with Graph::load, prints "loaded <commit id>" and exits at
// once with _Exit (no destructors, no clean close of the store), like a
// crash right after the load returned.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "omnigraph/graph.h"

namespace {

void say(const std::string& line) {
  std::string out = line + "\n";
  if (::write(STDOUT_FILENO, out.data(), out.size()) != static_cast<ssize_t>(out.size())) {
    std::_Exit(4);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace omnigraph;
  if (argc == 4 && std::string(argv[2]) == "load") {
    std::unique_ptr<Graph> graph = Graph::open(argv[1]);
    const int rows = std::stoi(argv[3]);
    std::string jsonl;
    for (int i = 0; i < rows; ++i) {
      // Long names: the load must stage enough bytes to take the bulk
      // path that skips the WAL (RunMerger::kUnloggedMinBytes).
      jsonl += R"({"type":"Person","data":{"name":"load-)" + std::to_string(i) +
               std::string(200, 'x') + R"(","age":)" + std::to_string(i) + "}}\n";
    }
    std::istringstream input(jsonl);
    LoadRequest request;
    request.mode = engine::LoadMode::kAppend;
    LoadResult result = graph->load(input, request);
    say("loaded " + result.commit_id);
    std::_Exit(0);
  }
  if (argc != 4) {
    std::fprintf(stderr, "usage: og_engine_crash_writer <graph> <run> <threads>\n");
    return 2;
  }
  const std::string path = argv[1];
  const int run = std::stoi(argv[2]);
  const int threads = std::stoi(argv[3]);
  std::unique_ptr<Graph> graph = Graph::open(path);
  say("ready");
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0;; ++i) {
        ChangeRequest request;
        std::string name;
        // Ages are unique per (run, thread, i), so a value names its write.
        const int age = run * 100000 + t * 10000 + (i % 10000);
        if (i % 2 == 0) {
          name = "r" + std::to_string(run) + "-t" + std::to_string(t) + "-" + std::to_string(i);
          request.query_source =
              "query q($n: String, $a: I32) { insert Person { name: $n, age: $a } }";
        } else {
          name = "own-" + std::to_string(t);
          request.query_source =
              "query q($n: String, $a: I32) { update Person set { age: $a } where name = $n }";
        }
        request.params_json = R"({"n": ")" + name + R"(", "a": )" + std::to_string(age) + "}";
        say("try " + name + " " + std::to_string(age));
        try {
          ChangeResult result = graph->change(request);
          say("done " + name + " " + std::to_string(age) + " " + result.commit_id);
        } catch (const Error& e) {
          // Each thread writes its own rows only: nothing may be refused.
          say(std::string("error ") + e.what());
          std::_Exit(3);
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  return 0;
}
