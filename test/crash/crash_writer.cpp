// Crash test helper: opens the RocksDB store at argv[1] and, on one thread
// per ref, extends each ref's chain forever. Before each CAS it prints
// "try <ref> <hash>", after it returns "done <ref> <hash>", each line with
// one write(2) (atomic on a pipe). The parent kills it with SIGKILL.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "crash_chain.h"
#include "store/store.h"

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
  if (argc != 4) {
    std::fprintf(stderr, "usage: og_crash_writer <store> <seed> <refs>\n");
    return 2;
  }
  const std::string path = argv[1];
  const uint64_t seed = std::stoull(argv[2]);
  const int n_refs = std::stoi(argv[3]);
  store::Store s = store::open_rocksdb_store(path);
  say("ready");
  std::vector<std::thread> threads;
  for (int t = 0; t < n_refs; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(seed * 1000 + t);
      std::string ref = "branch/w" + std::to_string(t);
      std::optional<Hash> head = s.refs->get(ref);
      uint64_t seq = head ? crash::decode_link(*s.chunks->get(*head)).seq : 0;
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (std::chrono::steady_clock::now() < deadline) {
        std::vector<store::Chunk> chunks = crash::make_link(ref, head, seq + 1, rng);
        Hash next = chunks.back().hash;
        s.chunks->put_many(chunks);
        say("try " + ref + " " + next.hex());
        if (!s.refs->compare_and_swap(ref, head, next)) {
          say("lost " + ref);  // impossible: this thread is the ref's only writer
          std::_Exit(3);
        }
        say("done " + ref + " " + next.hex());
        head = next;
        ++seq;
      }
    });
  }
  for (auto& th : threads) th.join();
  return 0;
}
