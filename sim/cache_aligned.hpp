// SPDX-License-Identifier: MIT
#pragma once
/// Vectors whose storage starts on a cache line. Engines that split one population over threads
/// cut it at cache-line multiples (NeuronRanges); that only keeps two threads off each other's
/// lines when element 0 is itself on a line boundary, which malloc does not promise (16 bytes).
/// A line shared at a range boundary costs a cross-core transfer (~100 ns) per array per step.
#include <cstddef>
#include <new>
#include <vector>

namespace snnsim::sim {

/// The coherence granule of the x86-64 and AArch64 cores we run on.
inline constexpr std::size_t kCacheLine = 64;

template <class T>
struct CacheAlignedAllocator {
  using value_type = T;
  CacheAlignedAllocator() = default;
  template <class U>
  constexpr CacheAlignedAllocator(const CacheAlignedAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{kCacheLine}));
  }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, std::align_val_t{kCacheLine}); }
  template <class U>
  bool operator==(const CacheAlignedAllocator<U>&) const noexcept {
    return true;
  }
};

template <class T>
using CacheAlignedVector = std::vector<T, CacheAlignedAllocator<T>>;

}  // namespace snnsim::sim
