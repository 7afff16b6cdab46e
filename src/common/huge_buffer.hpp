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

 private:
  void release();
  std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  void* mapping_ = nullptr;
  std::size_t mapping_size_ = 0;
};

}  // namespace leadscore
