#include "server/config/graph_config_writer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "policy/yaml_reader.h"

namespace omnigraph::server::config {
namespace {

[[noreturn]] void throw_io(std::string_view what, const std::filesystem::path& path) {
  throw_internal(fmt::format("{} {}: {}", what, path.string(), std::strerror(errno)));
}

// An open file descriptor closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_io("read", path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw_io("read", path);
  return buffer.str();
}

void write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io("write", path);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Inserts graphs.<id> into the document; conflicts leave it untouched.
std::string with_graph(std::string_view current, const std::string& graph_id,
                       const std::string& uri, const std::optional<std::string>& policy_file) {
  YAML::Node root = policy::yaml::parse_document(current);
  if (!root.IsDefined() || root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap()) throw_internal("omnigraph.yaml: top level is not a mapping");
  YAML::Node graphs = root["graphs"];
  if (!graphs.IsDefined() || graphs.IsNull()) {
    root["graphs"] = YAML::Node(YAML::NodeType::Map);
    graphs = root["graphs"];
  }
  if (!graphs.IsMap()) throw_internal("omnigraph.yaml: `graphs` is not a mapping");
  for (const auto& entry : graphs) {
    if (entry.first.Scalar() == graph_id) {
      throw_conflict(fmt::format("graph '{}' is already registered", graph_id));
    }
    YAML::Node existing_uri = entry.second["uri"];
    if (existing_uri.IsScalar() && existing_uri.Scalar() == uri) {
      throw_conflict(fmt::format("uri '{}' is already in use by another graph", uri));
    }
  }
  YAML::Node graph(YAML::NodeType::Map);
  graph["uri"] = uri;
  YAML::Node policy(YAML::NodeType::Map);
  if (policy_file) {
    policy["file"] = *policy_file;
  } else {
    policy["file"] = YAML::Node(YAML::NodeType::Null);
  }
  graph["policy"] = policy;
  graphs[graph_id] = graph;

  YAML::Emitter out;
  out << root;
  if (!out.good()) throw_internal(fmt::format("serialize config: {}", out.GetLastError()));
  return std::string(out.c_str()) + "\n";
}

}  // namespace

ConfigDriftError::ConfigDriftError()
    : Error(ErrorCode::kConflict, std::string(kConfigDriftMessage)) {}

Hash hash_config_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw_internal(fmt::format("hash omnigraph.yaml: {}: {}", path.string(), std::strerror(errno)));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return Hash::of(buffer.str());
}

GraphConfigWriter::GraphConfigWriter(std::filesystem::path config_path, Hash baseline)
    : path_(std::move(config_path)), baseline_(baseline) {}

Hash GraphConfigWriter::baseline() const {
  std::lock_guard lock(mutex_);
  return baseline_;
}

void GraphConfigWriter::add_graph(const std::string& graph_id, const std::string& uri,
                                  const std::optional<std::string>& policy_file) {
  // Cross-process exclusion first (a separate open file description per
  // call, so threads of this process also exclude each other), then the
  // baseline.
  std::filesystem::path lock_path = path_;
  lock_path += ".lock";
  Fd lock_fd(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (lock_fd.get() < 0) throw_io("open", lock_path);
  while (::flock(lock_fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR) throw_io("lock", lock_path);
  }
  std::lock_guard lock(mutex_);

  std::string current = read_bytes(path_);
  if (Hash::of(current) != baseline_) throw ConfigDriftError();
  std::string updated = with_graph(current, graph_id, uri, policy_file);

  std::filesystem::path tmp = path_;
  tmp += ".tmp";
  try {
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd.get() < 0) throw_io("open", tmp);
    write_all(fd.get(), updated, tmp);
    if (::fsync(fd.get()) != 0) throw_io("fsync", tmp);
    if (::rename(tmp.c_str(), path_.c_str()) != 0) throw_io("rename", tmp);
  } catch (...) {
    ::unlink(tmp.c_str());  // the config itself is untouched
    throw;
  }
  // The new bytes are in place: advance the baseline before anything else
  // can fail, or the next add would report our own write as drift.
  baseline_ = Hash::of(updated);
  std::filesystem::path dir = path_.parent_path();
  if (dir.empty()) dir = ".";
  Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() < 0 || ::fsync(dir_fd.get()) != 0) throw_io("fsync", dir);
}

}  // namespace omnigraph::server::config
