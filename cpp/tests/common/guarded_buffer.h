// Memory whose neighbours are inaccessible pages, to prove that a kernel reads and writes nothing
// outside [p, p + n): an element placed against a guard page faults (the test crashes) on any access
// past it. Linux/POSIX (mmap, mprotect).
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace selu_test {

class GuardedBuffer {
 public:
  // At least `bytes` usable bytes, between a guard page before and a guard page after.
  explicit GuardedBuffer(size_t bytes) {
    page_ = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    usable_ = (bytes + page_ - 1) / page_ * page_;
    total_ = usable_ + 2 * page_;
    void* p = mmap(nullptr, total_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      std::perror("mmap");
      std::exit(2);
    }
    base_ = static_cast<unsigned char*>(p);
    if (mprotect(base_ + page_, usable_, PROT_READ | PROT_WRITE) != 0) {
      std::perror("mprotect");
      std::exit(2);
    }
  }
  ~GuardedBuffer() { munmap(base_, total_); }
  GuardedBuffer(const GuardedBuffer&) = delete;
  GuardedBuffer& operator=(const GuardedBuffer&) = delete;

  // Room for n elements of T ending exactly at the trailing guard page.
  template <typename T>
  T* at_end(size_t n) {
    return reinterpret_cast<T*>(base_ + page_ + usable_ - n * sizeof(T));
  }
  // Room for n elements of T starting exactly after the leading guard page.
  template <typename T>
  T* at_start() {
    return reinterpret_cast<T*>(base_ + page_);
  }
  size_t usable_bytes() const { return usable_; }

 private:
  unsigned char* base_ = nullptr;
  size_t page_ = 0, usable_ = 0, total_ = 0;
};

}  // namespace selu_test
