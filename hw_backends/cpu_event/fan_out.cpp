// SPDX-License-Identifier: MIT
#include "hw_backends/cpu_event/fan_out.hpp"

// On x86-64 GCC/Clang the fan-out kernel exists once per ISA, picked per call with
// __builtin_cpu_supports (a load and a predicted branch). Each version holds a block of targets
// as wide as eight of its vector registers while every event is added: eight independent add
// chains hide the add latency, and registers remain for the rows being loaded.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SNNSIM_FAN_OUT_ISA 1
#if defined(__clang__)
#define SNNSIM_TARGET(isa) __attribute__((target(isa)))
#define SNNSIM_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
// GCC's unroll-and-jam would interleave events, spill the accumulator block and go scalar.
#define SNNSIM_TARGET(isa) __attribute__((target(isa), optimize("no-loop-unroll-and-jam")))
#define SNNSIM_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif
#else
#define SNNSIM_TARGET(isa)
#define SNNSIM_CLONES
#endif

namespace snnsim::hw_backends {

namespace {

/// One fan-out: the taps of one projection at one step.
template <class Real>
struct FanOut {
  Real* __restrict buf;
  const Real* __restrict bias;
  const TapEvents<Real>* taps;
  std::size_t tap_count, stride, n;
};

/// Adds the rows of one tap's events to the block acc of targets [o, o + Block).
template <std::size_t Block, class Real, bool Graded>
[[gnu::always_inline]] inline void add_tap(Real* __restrict acc, const TapEvents<Real>& tap, std::size_t stride,
                                           std::size_t o) {
  const std::uint32_t* __restrict events = tap.events;
  for (std::size_t e = 0; e < tap.count; ++e) {
    const Real* __restrict row = tap.rows + events[e] * stride + o;
    if constexpr (Graded) {
      const Real v = tap.values[events[e]];
      for (std::size_t j = 0; j < Block; ++j) acc[j] += row[j] * v;
    } else {
      for (std::size_t j = 0; j < Block; ++j) acc[j] += row[j];
    }
  }
}

/// Targets [o, o + Block) of every tap and event, in order, with the block held in registers.
template <std::size_t Block, class Real>
[[gnu::always_inline]] inline void accumulate_block(const FanOut<Real>& f, std::size_t o) {
  Real acc[Block];
  for (std::size_t j = 0; j < Block; ++j) acc[j] = f.buf[o + j];
  if (f.bias)
    for (std::size_t j = 0; j < Block; ++j) acc[j] += f.bias[o + j];
  for (std::size_t k = 0; k < f.tap_count; ++k) {
    if (f.taps[k].values)
      add_tap<Block, Real, true>(acc, f.taps[k], f.stride, o);
    else
      add_tap<Block, Real, false>(acc, f.taps[k], f.stride, o);
  }
  for (std::size_t j = 0; j < Block; ++j) f.buf[o + j] = acc[j];
}

/// Whole blocks of Block targets, then of Block / 2, ... down to MinBlock (one vector register),
/// then single targets: any target count runs mostly in registers.
template <std::size_t Block, std::size_t MinBlock, class Real>
[[gnu::always_inline]] inline void accumulate(const FanOut<Real>& f, std::size_t o) {
  for (; o + Block <= f.n; o += Block) accumulate_block<Block, Real>(f, o);
  if constexpr (Block > MinBlock) {
    accumulate<Block / 2, MinBlock, Real>(f, o);
  } else {
    for (; o < f.n; ++o) {
      Real a = f.buf[o];
      if (f.bias) a += f.bias[o];
      for (std::size_t k = 0; k < f.tap_count; ++k) {
        const TapEvents<Real>& tap = f.taps[k];
        for (std::size_t e = 0; e < tap.count; ++e) {
          const Real w = tap.rows[tap.events[e] * f.stride + o];
          a += tap.values ? w * tap.values[tap.events[e]] : w;
        }
      }
      f.buf[o] = a;
    }
  }
}

/// The kernel for vector registers of RegisterBytes: blocks of eight registers down to one.
template <std::size_t RegisterBytes, class Real>
[[gnu::always_inline]] inline void fan_out_kernel(const FanOut<Real>& f) {
  constexpr std::size_t lanes = RegisterBytes / sizeof(Real);
  accumulate<8 * lanes, lanes, Real>(f, 0);
}

template <class Real>
SNNSIM_TARGET("avx512f")
void fan_out_avx512(const FanOut<Real>& f) {
  fan_out_kernel<64, Real>(f);
}

template <class Real>
SNNSIM_TARGET("avx2")
void fan_out_avx2(const FanOut<Real>& f) {
  fan_out_kernel<32, Real>(f);
}

template <class Real>
void fan_out_baseline(const FanOut<Real>& f) {
  fan_out_kernel<16, Real>(f);
}

template <class Real>
void fan_out(const FanOut<Real>& f) {
#ifdef SNNSIM_FAN_OUT_ISA
  if (__builtin_cpu_supports("avx512f")) return fan_out_avx512<Real>(f);
  if (__builtin_cpu_supports("avx2")) return fan_out_avx2<Real>(f);
#endif
  fan_out_baseline<Real>(f);
}

}  // namespace

void accumulate_taps(float* buf, const float* bias, const TapEvents<float>* taps, std::size_t tap_count,
                     std::size_t stride, std::size_t n) {
  fan_out<float>({buf, bias, taps, tap_count, stride, n});
}

void accumulate_taps(double* buf, const double* bias, const TapEvents<double>* taps, std::size_t tap_count,
                     std::size_t stride, std::size_t n) {
  fan_out<double>({buf, bias, taps, tap_count, stride, n});
}

SNNSIM_CLONES void add_vector(float* __restrict buf, const float* __restrict x, std::size_t n) {
  for (std::size_t o = 0; o < n; ++o) buf[o] += x[o];
}

SNNSIM_CLONES void add_vector(double* __restrict buf, const double* __restrict x, std::size_t n) {
  for (std::size_t o = 0; o < n; ++o) buf[o] += x[o];
}

}  // namespace snnsim::hw_backends
