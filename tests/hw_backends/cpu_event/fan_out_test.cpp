// SPDX-License-Identifier: MIT
// The fan-out kernel against the canonical order written out element by element: every version
// this processor runs (AVX-512, AVX2, baseline), every target count from a partial register to
// several blocks, spike and graded segments and single rows mixed in one call.
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include <doctest/doctest.h>

#include "hw_backends/cpu_event/fan_out.hpp"

using namespace snnsim;
using hw_backends::RowSegment;

namespace {

template <class Real>
struct Case {
  std::vector<Real> table, bias, graded_values;
  std::vector<std::uint32_t> spikes, graded_events;
  std::vector<RowSegment<Real>> segments;
};

/// A table of `rows` rows of n values with stride n + 3 (rows start off any alignment), and four
/// segments: a bias row, a spike segment, a graded segment and a second spike segment of the
/// same table at another offset (as a conv tap).
template <class Real>
Case<Real> make_case(std::size_t n, std::uint32_t seed) {
  Case<Real> c;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<Real> value(Real(-1), Real(1));
  const std::size_t stride = n + 3, rows = 40;
  c.table.resize(rows * stride + n);
  for (Real& w : c.table) w = value(rng);
  c.bias.resize(n);
  for (Real& b : c.bias) b = value(rng);
  for (std::uint32_t i = 0; i < rows; ++i)
    if (rng() % 3 == 0) c.spikes.push_back(i);
  c.graded_values.resize(rows);
  for (std::uint32_t i = 0; i < rows; ++i)
    if (rng() % 2 == 0) {
      c.graded_events.push_back(i);
      c.graded_values[i] = value(rng);
    }
  c.segments = {{c.bias.data(), 0, hw_backends::kFirstRow, 1},
                {c.table.data(), stride, c.spikes.data(), c.spikes.size()},
                {c.table.data() + 1, stride, c.graded_events.data(), c.graded_events.size(), c.graded_values.data()},
                {c.table.data() + 2, stride, c.spikes.data(), c.spikes.size()}};
  return c;
}

/// The canonical order: for each target, its start value plus every row of every segment in turn.
template <class Real>
std::vector<Real> reference(const std::vector<Real>& start, const std::vector<RowSegment<Real>>& segments) {
  std::vector<Real> out = start;
  for (std::size_t o = 0; o < out.size(); ++o)
    for (const RowSegment<Real>& s : segments)
      for (std::size_t e = 0; e < s.count; ++e) {
        const Real w = s.base[s.events[e] * s.stride + o];
        if (s.x)
          out[o] += w * s.x[s.events[e]];
        else
          out[o] += w;
      }
  return out;
}

template <class Real>
void check_every_isa() {
  for (std::size_t n : {1, 5, 10, 15, 16, 17, 31, 64, 100, 128, 130, 256, 300, 512}) {
    const Case<Real> c = make_case<Real>(n, static_cast<std::uint32_t>(n));
    std::vector<Real> start(n);
    for (std::size_t o = 0; o < n; ++o) start[o] = static_cast<Real>(o % 7) * Real(0.25) - Real(0.5);
    const std::vector<Real> expected = reference(start, c.segments);
    for (sim::Isa isa : sim::supported_isas()) {
      CAPTURE(n);
      CAPTURE(static_cast<int>(isa));
      std::vector<Real> buf = start;
      hw_backends::accumulate_segments(isa, buf.data(), c.segments.data(), c.segments.size(), n);
      CHECK(std::memcmp(buf.data(), expected.data(), n * sizeof(Real)) == 0);  // bit for bit
    }
    std::vector<Real> buf = start;  // the engine's choice is one of them
    hw_backends::accumulate_segments(sim::best_isa(), buf.data(), c.segments.data(), c.segments.size(), n);
    CHECK(std::memcmp(buf.data(), expected.data(), n * sizeof(Real)) == 0);
  }
}

}  // namespace

TEST_CASE("fan-out: every kernel version adds the rows in the canonical order, bit for bit, any target count") {
  CHECK(sim::supported_isas().back() == sim::Isa::baseline);
  CHECK(sim::best_isa() == sim::supported_isas().front());
  check_every_isa<float>();
  check_every_isa<double>();
}

TEST_CASE("fan-out: with no segments every target keeps its value") {
  std::vector<float> buf(10, 2.5f);
  for (sim::Isa isa : sim::supported_isas()) {
    hw_backends::accumulate_segments(isa, buf.data(), static_cast<const RowSegment<float>*>(nullptr), 0, buf.size());
    CHECK(buf == std::vector<float>(10, 2.5f));
  }
}
