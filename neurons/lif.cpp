// SPDX-License-Identifier: MIT
#include "neurons/lif.hpp"

#include <algorithm>
#include <cmath>
#include <array>
#include <vector>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define SNNSIM_LIF_AVX 1
#endif

#include <fmt/format.h>

#include "sim/cache_aligned.hpp"
#include "sim/error.hpp"
#include "sim/isa.hpp"

namespace snnsim::neurons {

namespace {

const std::array<sim::ParamSpec, 4> kParams{{
    {"tau", "steps", 1.0, 1e9, false, 2.0, "membrane time constant in time steps (> 1)"},
    {"v_threshold", "", -1e30, 1e30, true, 1.0, "firing threshold (fires when H >= v_threshold)"},
    {"v_reset", "", -1e30, 1e30, true, 0.0, "membrane value after a spike and at trial start"},
    {"decay_input", "", 0.0, 1.0, true, 1.0, "1: the input is divided by tau too (spikingjelly default)"},
}};

const std::array<sim::PortSpec, 1> kPorts{{{"current", false}}};

/// The LMUFormer's case (decay_input, v_reset 0) for neurons [i, n): the same float32 operations
/// per lane as lif_step() (d = I - V; d = d / tau; H = V + d; fire if H >= threshold; V = 0 if
/// fired), so every vector width gives the same bits. When tau is a power of two (spikingjelly's
/// default 2), d / tau is computed as d * (1 / tau): 1 / tau is exact and both are the correctly
/// rounded value of the same real number, so the bits are equal and a multiply replaces a slow
/// divide. The input is cleared as it is read. The indices of the neurons that fire are written
/// to `out` (room for n - i + 16) in ascending order straight from the compare mask, without a branch
/// per neuron (firing is ~10 % and unpredictable); the kernels return the next neuron and count.
struct LifKernelArgs {
  float tau, inv_tau, threshold;
  float* v;
  float* in;
  std::uint32_t* out;
};

template <bool Reciprocal>
inline float decay(float d, const LifKernelArgs& a) {
  if constexpr (Reciprocal)
    return d * a.inv_tau;
  else
    return d / a.tau;
}

template <bool Reciprocal>
std::size_t step_reset0_scalar(const LifKernelArgs& a, std::size_t i, std::size_t n, std::size_t& count) {
  for (; i < n; ++i) {
    const float h = a.v[i] + decay<Reciprocal>(a.in[i] - a.v[i], a);
    const bool fire = h >= a.threshold;
    a.in[i] = 0.0f;
    a.v[i] = fire ? 0.0f : h;
    a.out[count] = static_cast<std::uint32_t>(i);
    count += fire;
  }
  return i;
}

/// Writes base + the set bits of `mask`, ascending.
inline void write_lanes(unsigned mask, std::size_t base, std::uint32_t* out, std::size_t& count) {
  for (; mask != 0; mask &= mask - 1)
    out[count++] = static_cast<std::uint32_t>(base + static_cast<std::size_t>(__builtin_ctz(mask)));
}

#ifdef __SSE2__
template <bool Reciprocal>
std::size_t step_reset0_sse2(const LifKernelArgs& a, std::size_t i, std::size_t n, std::size_t& count) {
  const __m128 scale = _mm_set1_ps(Reciprocal ? a.inv_tau : a.tau), thr = _mm_set1_ps(a.threshold);
  const __m128 zero = _mm_setzero_ps();
  float* __restrict v = a.v;  // locals, as in the AVX-512 kernel
  float* __restrict in = a.in;
  std::size_t fired = count;
  for (; i + 4 <= n; i += 4) {
    const __m128 vi = _mm_loadu_ps(v + i), d = _mm_sub_ps(_mm_loadu_ps(in + i), vi);
    const __m128 h = _mm_add_ps(vi, Reciprocal ? _mm_mul_ps(d, scale) : _mm_div_ps(d, scale));
    const __m128 fire = _mm_cmpge_ps(h, thr);
    _mm_storeu_ps(v + i, _mm_andnot_ps(fire, h));
    _mm_storeu_ps(in + i, zero);
    write_lanes(static_cast<unsigned>(_mm_movemask_ps(fire)), i, a.out, fired);
  }
  count = fired;
  return i;
}
#endif

#ifdef SNNSIM_LIF_AVX
/// For each 8-lane firing mask, the lanes that fire in ascending order, one per nibble: AVX2 has
/// no compress, so the kernel permutes the lane indices by this (1 KB, stays in L1).
constexpr std::array<std::uint32_t, 256> make_compress_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t mask = 0; mask < 256; ++mask) {
    std::uint32_t packed = 0, j = 0;
    for (std::uint32_t lane = 0; lane < 8; ++lane)
      if ((mask >> lane) & 1u) packed |= lane << (4 * j++);
    table[mask] = packed;
  }
  return table;
}
constexpr std::array<std::uint32_t, 256> kCompressLanes = make_compress_table();

/// AVX2 writes the firing indices of 8 neurons with one permute and store, without a branch: a
/// bit loop per mask mispredicted on every group with a spike (a third of the kernel's time).
template <bool Reciprocal>
__attribute__((target("avx2"))) std::size_t step_reset0_avx2(const LifKernelArgs& a, std::size_t i, std::size_t n,
                                                              std::size_t& count) {
  const __m256 scale = _mm256_set1_ps(Reciprocal ? a.inv_tau : a.tau), thr = _mm256_set1_ps(a.threshold);
  const __m256 zero = _mm256_setzero_ps();
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i nibble_shifts = _mm256_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28);
  const __m256i nibble = _mm256_set1_epi32(0xF);
  float* __restrict v = a.v;  // locals, as in the AVX-512 kernel
  float* __restrict in = a.in;
  std::uint32_t* __restrict out = a.out;
  std::size_t fired = count;
  for (; i + 8 <= n; i += 8) {
    const __m256 vi = _mm256_loadu_ps(v + i), d = _mm256_sub_ps(_mm256_loadu_ps(in + i), vi);
    const __m256 h = _mm256_add_ps(vi, Reciprocal ? _mm256_mul_ps(d, scale) : _mm256_div_ps(d, scale));
    const __m256 fire = _mm256_cmp_ps(h, thr, _CMP_GE_OQ);
    _mm256_storeu_ps(v + i, _mm256_andnot_ps(fire, h));
    _mm256_storeu_ps(in + i, zero);
    const auto mask = static_cast<unsigned>(_mm256_movemask_ps(fire));
    const __m256i packed = _mm256_set1_epi32(static_cast<int>(kCompressLanes[mask]));
    const __m256i order = _mm256_and_si256(_mm256_srlv_epi32(packed, nibble_shifts), nibble);
    const __m256i index = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(i)), lanes);
    // All 8 lanes are stored (out has 16 spare slots); only the firing ones are kept.
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + fired), _mm256_permutevar8x32_epi32(index, order));
    fired += static_cast<std::size_t>(__builtin_popcount(mask));
  }
  count = fired;
  return i;
}

/// AVX-512 writes the firing indices with one compress-store per 16 neurons.
template <bool Reciprocal>
__attribute__((target("avx512f"))) std::size_t step_reset0_avx512(const LifKernelArgs& a, std::size_t i,
                                                                   std::size_t n, std::size_t& count) {
  const __m512 scale = _mm512_set1_ps(Reciprocal ? a.inv_tau : a.tau), thr = _mm512_set1_ps(a.threshold);
  const __m512 zero = _mm512_setzero_ps();
  const __m512i lanes = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  // Locals, not a's fields and `count`: stores through float* may alias them, which made every
  // iteration reload the pointers and carry the count through memory.
  float* __restrict v = a.v;
  float* __restrict in = a.in;
  std::uint32_t* __restrict out = a.out;
  std::size_t fired = count;
  for (; i + 16 <= n; i += 16) {
    const __m512 vi = _mm512_loadu_ps(v + i), d = _mm512_sub_ps(_mm512_loadu_ps(in + i), vi);
    const __m512 h = _mm512_add_ps(vi, Reciprocal ? _mm512_mul_ps(d, scale) : _mm512_div_ps(d, scale));
    const __mmask16 fire = _mm512_cmp_ps_mask(h, thr, _CMP_GE_OQ);
    _mm512_storeu_ps(v + i, _mm512_mask_blend_ps(fire, h, zero));
    _mm512_storeu_ps(in + i, zero);
    const __m512i index = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(i)), lanes);
    // Compress in a register and store all 16 lanes (out has 16 spare slots): a compressing
    // store to memory is microcoded on Intel cores.
    _mm512_storeu_si512(out + fired, _mm512_maskz_compress_epi32(fire, index));
    fired += static_cast<std::size_t>(__builtin_popcount(fire));
  }
  count = fired;
  return i;
}
#endif

template <bool Reciprocal>
std::size_t step_reset0(sim::Isa isa, const LifKernelArgs& a, std::size_t n) {
  std::size_t i = 0, count = 0;
#ifdef SNNSIM_LIF_AVX
  if (isa == sim::Isa::avx512)
    i = step_reset0_avx512<Reciprocal>(a, i, n, count);
  else if (isa == sim::Isa::avx2)
    i = step_reset0_avx2<Reciprocal>(a, i, n, count);
#else
  (void)isa;
#endif
#ifdef __SSE2__
  i = step_reset0_sse2<Reciprocal>(a, i, n, count);
#endif
  step_reset0_scalar<Reciprocal>(a, i, n, count);
  return count;
}

/// True when 1 / tau is exact (tau a power of two, as spikingjelly's default 2).
bool exact_reciprocal(float tau) {
  int exponent = 0;
  return std::frexp(tau, &exponent) == 0.5f;
}

/// The fast path for the kernels' arguments; `reciprocal`: exact_reciprocal(c.tau), which the
/// population state works out once.
std::size_t step_reset0(sim::Isa isa, bool reciprocal, const LifConstants& c, float* v, float* input, std::size_t n,
                        std::uint32_t* fired) {
  const LifKernelArgs args{c.tau, 1.0f / c.tau, c.v_threshold, v, input, fired};
  return reciprocal ? step_reset0<true>(isa, args, n) : step_reset0<false>(isa, args, n);
}

}  // namespace

std::size_t lif_step_reset0(sim::Isa isa, const LifConstants& c, float* v, float* input, std::size_t n,
                            std::uint32_t* fired) {
  return step_reset0(isa, exact_reciprocal(c.tau), c, v, input, n, fired);
}

namespace {

class LifState final : public sim::NeuronPopulationState<float> {
 public:
  LifState(LifConstants c, std::size_t n) : c_(c), v_(n, c.v_reset), input_(n, 0.0f), fired_(n + kLifFiredSlack) {}
  void reset() override {
    std::fill(v_.begin(), v_.end(), c_.v_reset);
    std::fill(input_.begin(), input_.end(), 0.0f);
  }
  std::span<float> port(std::size_t) override { return input_; }
  void step(sim::TimeStep, std::vector<std::uint32_t>& spikes) override {
    if (c_.decay_input && c_.v_reset == 0.0f) return step_reset0(spikes);
    for (std::size_t i = 0; i < v_.size(); ++i) {
      if (lif_step(c_, input_[i], v_[i])) spikes.push_back(static_cast<std::uint32_t>(i));
      input_[i] = 0.0f;
    }
  }
  std::span<const float> variable(std::string_view name) const override {
    if (name == "v") return v_;
    return {};
  }

 private:
  /// The kernels compact the firing indices into fired_, which has room for every neuron, so
  /// that the caller's list grows by the spikes only (not cleared to the population size).
  void step_reset0(std::vector<std::uint32_t>& spikes) {
    const std::size_t fired =
        neurons::step_reset0(isa_, reciprocal_, c_, v_.data(), input_.data(), v_.size(), fired_.data());
    spikes.insert(spikes.end(), fired_.begin(), fired_.begin() + static_cast<std::ptrdiff_t>(fired));
  }

  LifConstants c_;
  bool reciprocal_ = exact_reciprocal(c_.tau);
  sim::Isa isa_ = sim::best_isa();
  sim::CacheAlignedVector<float> v_, input_;  ///< line-aligned: the kernels' vector loads split no line
  std::vector<std::uint32_t> fired_;
};

class LifDynamics final : public sim::NeuronDynamics {
 public:
  explicit LifDynamics(LifConstants c) : c_(c) {}
  sim::Precision precision() const override { return sim::Precision::F32; }
  std::span<const sim::PortSpec> ports() const override { return kPorts; }
  std::unique_ptr<sim::NeuronPopulationState<float>> make_state_f32(std::size_t n) const override {
    return std::make_unique<LifState>(c_, n);
  }

 private:
  LifConstants c_;
};

}  // namespace

std::span<const sim::ParamSpec> Lif::params() const { return kParams; }

std::shared_ptr<const sim::NeuronDynamics> Lif::instantiate(const sim::ParamValues& values,
                                                            const sim::InitialState& initial,
                                                            std::size_t, const std::string& source,
                                                            const std::string& where) const {
  const sim::ParamValues p = sim::validate_params(kParams, values, source, where);
  if (!initial.empty())
    throw Error(source, where + ".initial", "no initial state (every LIF starts at v_reset)",
                "'" + initial.begin()->first + "'");
  const double d = p.at("decay_input");
  if (d != 0.0 && d != 1.0) throw Error(source, where + ".decay_input", "0 or 1", fmt::format("{:g}", d));
  LifConstants c;
  c.tau = static_cast<float>(p.at("tau"));
  c.v_threshold = static_cast<float>(p.at("v_threshold"));
  c.v_reset = static_cast<float>(p.at("v_reset"));
  c.decay_input = d == 1.0;
  return std::make_shared<LifDynamics>(c);
}

}  // namespace snnsim::neurons
