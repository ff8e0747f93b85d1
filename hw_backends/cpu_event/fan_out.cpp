// SPDX-License-Identifier: MIT
#include "hw_backends/cpu_event/fan_out.hpp"

// On x86-64 GCC/Clang the fan-out kernel exists once per ISA, picked per call with
// __builtin_cpu_supports (a load and a predicted branch). Each version holds a block of targets
// as wide as eight of its vector registers while every event is added: eight independent add
// chains hide the add latency, and registers remain for the rows being loaded.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SNNSIM_FAN_OUT_ISA 1
#define SNNSIM_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#if defined(__clang__)
#define SNNSIM_TARGET(isa) __attribute__((target(isa)))
#else
// GCC's unroll-and-jam would interleave events, spill the accumulator block and go scalar.
#define SNNSIM_TARGET(isa) __attribute__((target(isa), optimize("no-loop-unroll-and-jam")))
#endif
#else
#define SNNSIM_TARGET(isa)
#define SNNSIM_CLONES
#endif

namespace snnsim::hw_backends {

namespace {

/// Targets [o, o + Block) of every event, in event order, with the block held in registers.
template <std::size_t Block, class Real, bool Scaled>
[[gnu::always_inline]] inline void accumulate_block(Real* __restrict buf, const Real* __restrict rows,
                                                    std::size_t stride, const std::uint32_t* __restrict events,
                                                    const Real* __restrict x, std::size_t count, std::size_t o) {
  Real acc[Block];
  for (std::size_t j = 0; j < Block; ++j) acc[j] = buf[o + j];
  for (std::size_t e = 0; e < count; ++e) {
    const Real* __restrict row = rows + events[e] * stride + o;
    if constexpr (Scaled) {
      const Real v = x[events[e]];
      for (std::size_t j = 0; j < Block; ++j) acc[j] += row[j] * v;
    } else {
      for (std::size_t j = 0; j < Block; ++j) acc[j] += row[j];
    }
  }
  for (std::size_t j = 0; j < Block; ++j) buf[o + j] = acc[j];
}

/// Whole blocks of Block targets, then of Block / 2, ... down to MinBlock (one vector register),
/// then single targets: any target count runs mostly in registers.
template <std::size_t Block, std::size_t MinBlock, class Real, bool Scaled>
[[gnu::always_inline]] inline void accumulate(Real* __restrict buf, const Real* __restrict rows, std::size_t stride,
                                              const std::uint32_t* __restrict events, const Real* __restrict x,
                                              std::size_t count, std::size_t o, std::size_t n) {
  for (; o + Block <= n; o += Block) accumulate_block<Block, Real, Scaled>(buf, rows, stride, events, x, count, o);
  if constexpr (Block > MinBlock) {
    accumulate<Block / 2, MinBlock, Real, Scaled>(buf, rows, stride, events, x, count, o, n);
  } else {
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
}

/// The kernel for vector registers of RegisterBytes: blocks of eight registers down to one.
template <std::size_t RegisterBytes, class Real, bool Scaled>
[[gnu::always_inline]] inline void fan_out_kernel(Real* buf, const Real* rows, std::size_t stride,
                                                  const std::uint32_t* events, const Real* x, std::size_t count,
                                                  std::size_t n) {
  constexpr std::size_t lanes = RegisterBytes / sizeof(Real);
  accumulate<8 * lanes, lanes, Real, Scaled>(buf, rows, stride, events, x, count, 0, n);
}

template <class Real, bool Scaled>
SNNSIM_TARGET("avx512f")
void fan_out_avx512(Real* buf, const Real* rows, std::size_t stride, const std::uint32_t* events, const Real* x,
                    std::size_t count, std::size_t n) {
  fan_out_kernel<64, Real, Scaled>(buf, rows, stride, events, x, count, n);
}

template <class Real, bool Scaled>
SNNSIM_TARGET("avx2")
void fan_out_avx2(Real* buf, const Real* rows, std::size_t stride, const std::uint32_t* events, const Real* x,
                  std::size_t count, std::size_t n) {
  fan_out_kernel<32, Real, Scaled>(buf, rows, stride, events, x, count, n);
}

template <class Real, bool Scaled>
void fan_out_baseline(Real* buf, const Real* rows, std::size_t stride, const std::uint32_t* events, const Real* x,
                      std::size_t count, std::size_t n) {
  fan_out_kernel<16, Real, Scaled>(buf, rows, stride, events, x, count, n);
}

template <class Real, bool Scaled>
void fan_out(Real* buf, const Real* rows, std::size_t stride, const std::uint32_t* events, const Real* x,
             std::size_t count, std::size_t n) {
#ifdef SNNSIM_FAN_OUT_ISA
  if (__builtin_cpu_supports("avx512f")) return fan_out_avx512<Real, Scaled>(buf, rows, stride, events, x, count, n);
  if (__builtin_cpu_supports("avx2")) return fan_out_avx2<Real, Scaled>(buf, rows, stride, events, x, count, n);
#endif
  fan_out_baseline<Real, Scaled>(buf, rows, stride, events, x, count, n);
}

}  // namespace

void accumulate_rows(float* buf, const float* rows, std::size_t stride, const std::uint32_t* events,
                     std::size_t count, std::size_t n) {
  fan_out<float, false>(buf, rows, stride, events, nullptr, count, n);
}

void accumulate_rows(double* buf, const double* rows, std::size_t stride, const std::uint32_t* events,
                     std::size_t count, std::size_t n) {
  fan_out<double, false>(buf, rows, stride, events, nullptr, count, n);
}

void accumulate_scaled_rows(float* buf, const float* rows, std::size_t stride, const std::uint32_t* events,
                            const float* x, std::size_t count, std::size_t n) {
  fan_out<float, true>(buf, rows, stride, events, x, count, n);
}

void accumulate_scaled_rows(double* buf, const double* rows, std::size_t stride, const std::uint32_t* events,
                            const double* x, std::size_t count, std::size_t n) {
  fan_out<double, true>(buf, rows, stride, events, x, count, n);
}

SNNSIM_CLONES void add_vector(float* __restrict buf, const float* __restrict x, std::size_t n) {
  for (std::size_t o = 0; o < n; ++o) buf[o] += x[o];
}

SNNSIM_CLONES void add_vector(double* __restrict buf, const double* __restrict x, std::size_t n) {
  for (std::size_t o = 0; o < n; ++o) buf[o] += x[o];
}

}  // namespace snnsim::hw_backends
