// SPDX-License-Identifier: MIT
#include "hw_backends/cpu_event/fan_out.hpp"

// Clones per ISA where the compiler supports function multi-versioning (x86-64 GCC/Clang).
#if defined(__x86_64__) && defined(__clang__)
#define SNNSIM_MULTIVERSION __attribute__((target_clones("avx512f", "avx2", "default")))
#elif defined(__x86_64__) && defined(__GNUC__)
// GCC's unroll-and-jam would interleave events, spill the accumulator block and go scalar
// (clang has no such pass and no optimize attribute).
#define SNNSIM_MULTIVERSION \
  __attribute__((target_clones("avx512f", "avx2", "default"), optimize("no-loop-unroll-and-jam")))
#else
#define SNNSIM_MULTIVERSION
#endif

namespace snnsim::hw_backends {

namespace {

// A block of targets small enough to stay in vector registers while every event is added.
constexpr std::size_t kBlock = 32;

template <class Real, bool Scaled>
[[gnu::always_inline]] inline void accumulate(Real* __restrict buf, const Real* __restrict rows, std::size_t stride,
                                              const std::uint32_t* __restrict events, const Real* __restrict x,
                                              std::size_t count, std::size_t n) {
  std::size_t o = 0;
  for (; o + kBlock <= n; o += kBlock) {
    Real acc[kBlock];
    for (std::size_t j = 0; j < kBlock; ++j) acc[j] = buf[o + j];
    for (std::size_t e = 0; e < count; ++e) {
      const Real* __restrict row = rows + events[e] * stride + o;
      if constexpr (Scaled) {
        const Real v = x[events[e]];
        for (std::size_t j = 0; j < kBlock; ++j) acc[j] += row[j] * v;
      } else {
        for (std::size_t j = 0; j < kBlock; ++j) acc[j] += row[j];
      }
    }
    for (std::size_t j = 0; j < kBlock; ++j) buf[o + j] = acc[j];
  }
  for (; o < n; ++o) {
    Real a = buf[o];
    for (std::size_t e = 0; e < count; ++e) {
      if constexpr (Scaled)
        a += rows[events[e] * stride + o] * x[events[e]];
      else
        a += rows[events[e] * stride + o];
    }
    buf[o] = a;
  }
}

}  // namespace

SNNSIM_MULTIVERSION void accumulate_rows(float* buf, const float* rows, std::size_t stride, const std::uint32_t* events,
                                         std::size_t count, std::size_t n) {
  accumulate<float, false>(buf, rows, stride, events, nullptr, count, n);
}

SNNSIM_MULTIVERSION void accumulate_rows(double* buf, const double* rows, std::size_t stride,
                                         const std::uint32_t* events, std::size_t count, std::size_t n) {
  accumulate<double, false>(buf, rows, stride, events, nullptr, count, n);
}

SNNSIM_MULTIVERSION void accumulate_scaled_rows(float* buf, const float* rows, std::size_t stride,
                                                const std::uint32_t* events, const float* x, std::size_t count,
                                                std::size_t n) {
  accumulate<float, true>(buf, rows, stride, events, x, count, n);
}

SNNSIM_MULTIVERSION void accumulate_scaled_rows(double* buf, const double* rows, std::size_t stride,
                                                const std::uint32_t* events, const double* x, std::size_t count,
                                                std::size_t n) {
  accumulate<double, true>(buf, rows, stride, events, x, count, n);
}

SNNSIM_MULTIVERSION void add_vector(float* __restrict buf, const float* __restrict x, std::size_t n) {
  for (std::size_t o = 0; o < n; ++o) buf[o] += x[o];
}

SNNSIM_MULTIVERSION void add_vector(double* __restrict buf, const double* __restrict x, std::size_t n) {
  for (std::size_t o = 0; o < n; ++o) buf[o] += x[o];
}

}  // namespace snnsim::hw_backends
