#pragma once
// Zero-filled memory for big tables read at random (per-lead accumulators, id lookup arrays).
// A table of tens of megabytes touched at random costs a TLB miss per access with 4 KB pages; the
// buffer asks Linux for transparent huge pages (2 MB), so the page table walk mostly disappears.
// Where huge pages are unavailable it is ordinary zeroed memory.
#include <cstddef>

namespace leadscore {

class HugeBuffer {
 public:
  HugeBuffer() = default;
  explicit HugeBuffer(std::size_t bytes);  // throws std::bad_alloc
  ~HugeBuffer();
  HugeBuffer(HugeBuffer&& other) noexcept;
  HugeBuffer& operator=(HugeBuffer&& other) noexcept;
  HugeBuffer(const HugeBuffer&) = delete;
  HugeBuffer& operator=(const HugeBuffer&) = delete;

  std::byte* data() const { return data_; }  // 64-byte aligned (2 MB aligned when large)
  std::size_t size() const { return size_; }
  // Makes the pages of bytes [offset, offset + bytes) present and writable now, so that the cost of
  // providing them falls on the calling thread rather than on whichever thread writes there first.
  // Contents are unchanged (still zero when never written); pages already present are skipped.
  // Advice only: where the kernel cannot do it, pages arrive on first use as before.
  void populate(std::size_t offset, std::size_t bytes) const;

 private:
  void release();
  std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  void* mapping_ = nullptr;
  std::size_t mapping_size_ = 0;
};

}  // namespace leadscore
