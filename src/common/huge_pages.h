// Asks the kernel to back a large, not yet touched buffer with transparent
// huge pages (where THP is in "madvise" mode, the distribution default).
// Hash tables of a load's ids are probed at random over tens of megabytes:
// with 4 KiB pages nearly every probe also missed the TLB, which the
// loader's prefetching cannot hide on a virtual machine. A hint only:
// nothing changes where huge pages are unavailable.
#pragma once

#include <cstddef>

namespace omnigraph {

// Buffers smaller than this are left alone (at most one huge page).
inline constexpr size_t kHugePageHintMinBytes = size_t{4} << 20;

// Call before the first write to [data, data + bytes); the whole 2 MiB
// pages inside the range get the hint.
void advise_huge_pages(void* data, size_t bytes);

}  // namespace omnigraph
