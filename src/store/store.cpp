#include "store/store.h"

namespace omnigraph::store {

Store open_memory_store() {
  return Store{make_memory_chunk_store(), make_memory_ref_store()};
}

}  // namespace omnigraph::store
