// SPDX-License-Identifier: MIT
#include "hw_backends/cpu_event/fan_out.hpp"

#include <type_traits>

// On x86-64 GCC/Clang the fan-out kernel exists once per ISA, picked per call with
// __builtin_cpu_supports (a load and a predicted branch). Each version holds a block of targets
// as wide as eight of its vector registers while every row is added: eight independent add
// chains hide the add latency, and registers remain for the rows being loaded. AVX-512 has 32
// registers and holds sixteen (256 floats): a 512-wide layer walks its event list twice, not
// four times. It ends with one masked register, so targets short of a register (the
// classifier's 10) are not added one by one.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define SNNSIM_FAN_OUT_ISA 1
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

/// Rows of spike events: row events[e] of a strided table.
template <class Real>
struct EventRows {
  static constexpr bool scaled = false;
  const Real* base;
  std::size_t stride;
  const std::uint32_t* events;
  std::size_t count;
};

/// Rows of graded events: row events[e] of a strided table, times the event's value x[events[e]].
template <class Real>
struct ScaledEventRows {
  static constexpr bool scaled = true;
  const Real* base;
  std::size_t stride;
  const std::uint32_t* events;
  std::size_t count;
  const Real* x;
};

/// Rows of several segments (accumulate_segments), segment after segment.
template <class Real>
struct SegmentRows {
  static constexpr bool scaled = false;
  const RowSegment<Real>* segments;
  std::size_t count;
};

/// Calls add(row, scale) for every row in order (scale 1 for spike events).
template <class Real, class Add>
[[gnu::always_inline]] inline void for_each_row(const EventRows<Real>& rows, Add&& add) {
  for (std::size_t e = 0; e < rows.count; ++e) add(rows.base + rows.events[e] * rows.stride, Real(1));
}
template <class Real, class Add>
[[gnu::always_inline]] inline void for_each_row(const ScaledEventRows<Real>& rows, Add&& add) {
  for (std::size_t e = 0; e < rows.count; ++e) add(rows.base + rows.events[e] * rows.stride, rows.x[rows.events[e]]);
}
template <class Real, class Add>
[[gnu::always_inline]] inline void for_each_row(const SegmentRows<Real>& rows, Add&& add) {
  for (std::size_t s = 0; s < rows.count; ++s) {
    const RowSegment<Real>& seg = rows.segments[s];
    for_each_row(EventRows<Real>{seg.base, seg.stride, seg.events, seg.count}, add);
  }
}

/// Targets [o, o + Block) of every row, in row order, with the block held in registers.
template <std::size_t Block, class Real, class Rows>
[[gnu::always_inline]] inline void accumulate_block(Real* __restrict buf, const Rows& rows, std::size_t o) {
  Real acc[Block];
  for (std::size_t j = 0; j < Block; ++j) acc[j] = buf[o + j];
  for_each_row(rows, [&](const Real* __restrict row, [[maybe_unused]] Real v) [[gnu::always_inline]] {
    if constexpr (Rows::scaled)
      for (std::size_t j = 0; j < Block; ++j) acc[j] += row[o + j] * v;
    else
      for (std::size_t j = 0; j < Block; ++j) acc[j] += row[o + j];
  });
  for (std::size_t j = 0; j < Block; ++j) buf[o + j] = acc[j];
}

/// Whole blocks of Block targets, then of Block / 2, ... down to MinBlock (one vector register);
/// returns where the blocks stopped.
template <std::size_t Block, std::size_t MinBlock, class Real, class Rows>
[[gnu::always_inline]] inline std::size_t accumulate_blocks(Real* __restrict buf, const Rows& rows, std::size_t o,
                                                            std::size_t n) {
  for (; o + Block <= n; o += Block) accumulate_block<Block>(buf, rows, o);
  if constexpr (Block > MinBlock) return accumulate_blocks<Block / 2, MinBlock>(buf, rows, o, n);
  return o;
}

/// Targets [o, n) one at a time.
template <class Real, class Rows>
[[gnu::always_inline]] inline void accumulate_scalar(Real* buf, const Rows& rows, std::size_t o, std::size_t n) {
  for (; o < n; ++o) {
    Real a = buf[o];
    for_each_row(rows, [&](const Real* row, [[maybe_unused]] Real v) {
      if constexpr (Rows::scaled)
        a += row[o] * v;
      else
        a += row[o];
    });
    buf[o] = a;
  }
}

/// The kernel for vector registers of RegisterBytes (16 of them): blocks of eight registers down
/// to one, then single targets.
template <std::size_t RegisterBytes, class Real, class Rows>
[[gnu::always_inline]] inline void fan_out_kernel(Real* buf, const Rows& rows, std::size_t n) {
  constexpr std::size_t lanes = RegisterBytes / sizeof(Real);
  accumulate_scalar(buf, rows, accumulate_blocks<8 * lanes, lanes>(buf, rows, 0, n), n);
}

#ifdef SNNSIM_FAN_OUT_ISA
/// Targets [o, n), fewer than one register, with masked loads and stores (float only). Lanes
/// outside the mask are neither read nor written; the others get the same adds in the same order.
template <class Rows>
SNNSIM_TARGET("avx512f")
void accumulate_masked(float* buf, const Rows& rows, std::size_t o, std::size_t n) {
  const auto mask = static_cast<__mmask16>((1u << (n - o)) - 1u);
  __m512 acc = _mm512_maskz_loadu_ps(mask, buf + o);
  for_each_row(rows, [&](const float* row, [[maybe_unused]] float v) [[gnu::always_inline]] {
    const __m512 r = _mm512_maskz_loadu_ps(mask, row + o);
    if constexpr (Rows::scaled)
      acc = _mm512_add_ps(acc, _mm512_mul_ps(r, _mm512_set1_ps(v)));
    else
      acc = _mm512_add_ps(acc, r);
  });
  _mm512_mask_storeu_ps(buf + o, mask, acc);
}

template <class Real, class Rows>
SNNSIM_TARGET("avx512f")
void fan_out_avx512(Real* buf, const Rows& rows, std::size_t n) {
  constexpr std::size_t lanes = 64 / sizeof(Real);
  const std::size_t o = accumulate_blocks<16 * lanes, lanes>(buf, rows, 0, n);
  if constexpr (std::is_same_v<Real, float>) {
    if (o < n) accumulate_masked(buf, rows, o, n);
  } else {
    accumulate_scalar(buf, rows, o, n);
  }
}

template <class Real, class Rows>
SNNSIM_TARGET("avx2")
void fan_out_avx2(Real* buf, const Rows& rows, std::size_t n) {
  fan_out_kernel<32>(buf, rows, n);
}
#endif

template <class Real, class Rows>
void fan_out(Real* buf, const Rows& rows, std::size_t n) {
#ifdef SNNSIM_FAN_OUT_ISA
  if (__builtin_cpu_supports("avx512f")) return fan_out_avx512(buf, rows, n);
  if (__builtin_cpu_supports("avx2")) return fan_out_avx2(buf, rows, n);
#endif
  fan_out_kernel<16>(buf, rows, n);
}

}  // namespace

void accumulate_segments(float* buf, const RowSegment<float>* segments, std::size_t count, std::size_t n) {
  fan_out(buf, SegmentRows<float>{segments, count}, n);
}

void accumulate_segments(double* buf, const RowSegment<double>* segments, std::size_t count, std::size_t n) {
  fan_out(buf, SegmentRows<double>{segments, count}, n);
}

void accumulate_scaled_rows(float* buf, const float* rows, std::size_t stride, const std::uint32_t* events,
                            const float* x, std::size_t count, std::size_t n) {
  fan_out(buf, ScaledEventRows<float>{rows, stride, events, count, x}, n);
}

void accumulate_scaled_rows(double* buf, const double* rows, std::size_t stride, const std::uint32_t* events,
                            const double* x, std::size_t count, std::size_t n) {
  fan_out(buf, ScaledEventRows<double>{rows, stride, events, count, x}, n);
}

}  // namespace snnsim::hw_backends
