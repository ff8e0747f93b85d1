// SPDX-License-Identifier: MIT
#include "hw_backends/cpu_event/fan_out.hpp"

#include <span>
#include <type_traits>

// On x86-64 GCC/Clang the fan-out kernel exists once per instruction set (sim/isa.hpp); the
// caller passes the one to use (the engine picks it once per workspace). Each version holds a
// block of targets as wide as eight of its vector registers while every row is added: eight
// independent add chains hide the add latency, and registers remain for the rows being loaded.
// AVX-512 has 32 registers and holds sixteen (256 floats): a 512-wide layer walks its event list
// twice, not four times. It ends with one masked register, so targets short of a register (the
// classifier's 10) are not added one by one.
#ifdef SNNSIM_X86_ISAS
#include <immintrin.h>
#if defined(__clang__)
#define SNNSIM_TARGET(isa) __attribute__((target(isa)))
#else
// GCC's unroll-and-jam would interleave events, spill the accumulator block and go scalar.
#define SNNSIM_TARGET(isa) __attribute__((target(isa), optimize("no-loop-unroll-and-jam")))
#endif
#else
#define SNNSIM_TARGET(isa)
#endif

namespace snnsim::hw_backends {

namespace {

/// A list of segments. Each consumer below walks it segment after segment, row after row (the
/// canonical order), spike segments adding rows, graded ones rows times their event's value.
/// Plain loops rather than a visitor: a lambda does not take its caller's target("avx512f"), so
/// clang refuses AVX-512 intrinsics inside one.
template <class Real>
using Segments = std::span<const RowSegment<Real>>;

/// Targets [o, o + Block) of every row, in row order, with the block held in registers.
template <std::size_t Block, class Real>
[[gnu::always_inline]] inline void accumulate_block(Real* __restrict buf, Segments<Real> rows, std::size_t o) {
  Real acc[Block];
  for (std::size_t j = 0; j < Block; ++j) acc[j] = buf[o + j];
  for (const RowSegment<Real>& seg : rows) {
    for (std::size_t e = 0; e < seg.count; ++e) {
      const Real* __restrict row = seg.base + seg.events[e] * seg.stride + o;
      if (seg.x) {
        const Real v = seg.x[seg.events[e]];
        for (std::size_t j = 0; j < Block; ++j) acc[j] += row[j] * v;
      } else {
        for (std::size_t j = 0; j < Block; ++j) acc[j] += row[j];
      }
    }
  }
  for (std::size_t j = 0; j < Block; ++j) buf[o + j] = acc[j];
}

/// Whole blocks of Block targets, then of Block / 2, ... down to MinBlock (one vector register);
/// returns where the blocks stopped.
template <std::size_t Block, std::size_t MinBlock, class Real>
[[gnu::always_inline]] inline std::size_t accumulate_blocks(Real* __restrict buf, Segments<Real> rows, std::size_t o,
                                                            std::size_t n) {
  for (; o + Block <= n; o += Block) accumulate_block<Block>(buf, rows, o);
  if constexpr (Block > MinBlock) return accumulate_blocks<Block / 2, MinBlock>(buf, rows, o, n);
  return o;
}

/// Targets [o, n) one at a time.
template <class Real>
[[gnu::always_inline]] inline void accumulate_scalar(Real* buf, Segments<Real> rows, std::size_t o, std::size_t n) {
  for (; o < n; ++o) {
    Real a = buf[o];
    for (const RowSegment<Real>& seg : rows)
      for (std::size_t e = 0; e < seg.count; ++e) {
        const Real w = seg.base[seg.events[e] * seg.stride + o];
        if (seg.x)
          a += w * seg.x[seg.events[e]];
        else
          a += w;
      }
    buf[o] = a;
  }
}

/// The kernel for vector registers of RegisterBytes (16 of them): blocks of eight registers down
/// to one, then single targets.
template <std::size_t RegisterBytes, class Real>
[[gnu::always_inline]] inline void fan_out_kernel(Real* buf, Segments<Real> rows, std::size_t n) {
  constexpr std::size_t lanes = RegisterBytes / sizeof(Real);
  accumulate_scalar(buf, rows, accumulate_blocks<8 * lanes, lanes>(buf, rows, 0, n), n);
}

#ifdef SNNSIM_X86_ISAS
/// Targets [o, n), fewer than one register, with masked loads and stores (float only). Lanes
/// outside the mask are neither read nor written; the others get the same adds in the same order.
SNNSIM_TARGET("avx512f")
void accumulate_masked(float* buf, Segments<float> rows, std::size_t o, std::size_t n) {
  const auto mask = static_cast<__mmask16>((1u << (n - o)) - 1u);
  __m512 acc = _mm512_maskz_loadu_ps(mask, buf + o);
  for (const RowSegment<float>& seg : rows)
    for (std::size_t e = 0; e < seg.count; ++e) {
      const __m512 row = _mm512_maskz_loadu_ps(mask, seg.base + seg.events[e] * seg.stride + o);
      if (seg.x)
        acc = _mm512_add_ps(acc, _mm512_mul_ps(row, _mm512_set1_ps(seg.x[seg.events[e]])));
      else
        acc = _mm512_add_ps(acc, row);
    }
  _mm512_mask_storeu_ps(buf + o, mask, acc);
}

template <class Real>
SNNSIM_TARGET("avx512f")
void fan_out_avx512(Real* buf, Segments<Real> rows, std::size_t n) {
  constexpr std::size_t lanes = 64 / sizeof(Real);
  const std::size_t o = accumulate_blocks<16 * lanes, lanes>(buf, rows, 0, n);
  if constexpr (std::is_same_v<Real, float>) {
    if (o < n) accumulate_masked(buf, rows, o, n);
  } else {
    accumulate_scalar(buf, rows, o, n);
  }
}

template <class Real>
SNNSIM_TARGET("avx2")
void fan_out_avx2(Real* buf, Segments<Real> rows, std::size_t n) {
  fan_out_kernel<32>(buf, rows, n);
}
#endif

template <class Real>
void fan_out(sim::Isa isa, Real* buf, Segments<Real> rows, std::size_t n) {
  switch (isa) {
#ifdef SNNSIM_X86_ISAS
    case sim::Isa::avx512: return fan_out_avx512(buf, rows, n);
    case sim::Isa::avx2: return fan_out_avx2(buf, rows, n);
#else
    case sim::Isa::avx512:
    case sim::Isa::avx2:
#endif
    case sim::Isa::baseline: return fan_out_kernel<16>(buf, rows, n);
  }
}

}  // namespace

void accumulate_segments(sim::Isa isa, float* buf, const RowSegment<float>* segments, std::size_t count,
                         std::size_t n) {
  fan_out(isa, buf, Segments<float>(segments, count), n);
}

void accumulate_segments(sim::Isa isa, double* buf, const RowSegment<double>* segments, std::size_t count,
                         std::size_t n) {
  fan_out(isa, buf, Segments<double>(segments, count), n);
}

}  // namespace snnsim::hw_backends
