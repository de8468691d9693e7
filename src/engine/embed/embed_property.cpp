#include "engine/embed/embed_property.h"

#include "engine/embed/embedder.h"

namespace omnigraph::engine::embed {

Value embed_property(const std::string& owner, const compiler::Property& target,
                     const std::string& text) {
  const std::string name = owner.empty() ? target.name : owner + "." + target.name;
  auto embedder = embedder_from_env("@embed property " + name + " needs an embedding");
  return Value::vector(FloatVector{embedder->embed_one(text, target.type.vector_dim)});
}

}  // namespace omnigraph::engine::embed
