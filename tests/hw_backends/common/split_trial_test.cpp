// SPDX-License-Identifier: MIT
// The pieces of a split trial (hw_backends/common/split_trial.hpp) against hand-worked cases:
// line-aligned neuron ranges, cache-line aligned state arrays, and the per-batch spike exchange
// (which step's spikes a reader sees, across batches and ring slots).
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "hw_backends/common/split_trial.hpp"
#include "sim/cache_aligned.hpp"

using namespace snnsim;
using hw_backends::NeuronRanges;
using hw_backends::SplitSpikes;

TEST_CASE("NeuronRanges::even: equal shares, boundaries on whole cache lines when a granule is given") {
  // 1000 float64 neurons, 2 threads, 8 per 64-byte line: 500 rounds to 504 (63 lines).
  CHECK(NeuronRanges::even(1000, 2, 8).bounds == std::vector<std::size_t>{0, 504, 1000});
  // 3 threads: 333.3 -> 336, 666.7 -> 664.
  CHECK(NeuronRanges::even(1000, 3, 8).bounds == std::vector<std::size_t>{0, 336, 664, 1000});
  // Without a granule, the exact shares (the interface the distributed engine uses).
  CHECK(NeuronRanges::even(1000, 3).bounds == std::vector<std::size_t>{0, 333, 666, 1000});
  // Fewer neurons than a line per thread: the last thread gets none.
  CHECK(NeuronRanges::even(10, 2, 8).bounds == std::vector<std::size_t>{0, 8, 10});
  CHECK(NeuronRanges::even(4, 2, 8).bounds == std::vector<std::size_t>{0, 0, 4});
}

TEST_CASE("whole_population_owners: whole populations when the neuron counts balance within the tolerance") {
  using hw_backends::whole_population_owners;
  // ff: four layers of 1,000 (and a spike source, 0: not shared) over 2 threads: 2,000 each.
  CHECK(whole_population_owners({1000, 1000, 1000, 1000, 0}, 2, 1.1) == std::vector<int>{0, 1, 0, 1, 0});
  // Longest first to the least loaded: 3,000 | 1,000 + 1,000 + 800 = 2,800 (3,000 <= 1.1 x 2,900).
  CHECK(whole_population_owners({1000, 3000, 800, 1000}, 2, 1.1) == std::vector<int>{1, 0, 1, 1});
  // Over 3 threads ff's layers load 2,000 | 1,000 | 1,000: 1.5 x the share, so none.
  CHECK(whole_population_owners({1000, 1000, 1000, 1000, 0}, 3, 1.1).empty());
  // cuba: one population cannot be shared whole.
  CHECK(whole_population_owners({4000}, 2, 1.1).empty());
  CHECK(NeuronRanges::only(1000, 3, 1).bounds == std::vector<std::size_t>{0, 0, 1000, 1000});
  CHECK(NeuronRanges::first_only(1000, 2).bounds == std::vector<std::size_t>{0, 1000, 1000});
}

TEST_CASE("CacheAlignedVector: storage starts on a cache line, so line-aligned ranges share no line") {
  for (std::size_t n : {1u, 7u, 1000u, 4001u}) {
    sim::CacheAlignedVector<double> v(n, 1.5);
    CHECK(reinterpret_cast<std::uintptr_t>(v.data()) % sim::kCacheLine == 0);
    CHECK(v[n - 1] == 1.5);
  }
}

TEST_CASE("SplitSpikes: a reader sees each closed step's spikes of each thread, across batches and slots") {
  // Batches of 3 steps; a reader may lag 2 batches; it reads back 4 steps (history 4).
  SplitSpikes s;
  s.init(/*history=*/4, /*batch_steps=*/3, /*lead=*/2, /*nthreads=*/2);
  CHECK(s.depth == 2 + 2 + 1);  // lead + ceil(history / batch) + 1
  // Thread b fires neuron 10 * t + b at steps t % 3 != 1, nothing at the others.
  auto expected = [](sim::TimeStep t, std::size_t b) {
    return t % 3 == 1 ? std::vector<std::uint32_t>{} : std::vector<std::uint32_t>{static_cast<std::uint32_t>(10 * t) + static_cast<std::uint32_t>(b)};
  };
  for (sim::TimeStep t = 0; t < 40; ++t) {
    for (int b = 0; b < 2; ++b) {
      std::vector<std::uint32_t>& out = s.open(t, b);
      for (std::uint32_t n : expected(t, static_cast<std::size_t>(b))) out.push_back(n);
      const auto fired = s.close(t, b);
      CHECK(std::vector<std::uint32_t>(fired.begin(), fired.end()) == expected(t, static_cast<std::size_t>(b)));
    }
    // Every step a reader lagging up to lead batches may still read is intact.
    for (sim::TimeStep back = 0; back < 4 + 2 * 3 && back <= t; ++back)
      for (std::size_t b = 0; b < 2; ++b) {
        const auto seen = s.list(t - back, b);
        CHECK(std::vector<std::uint32_t>(seen.begin(), seen.end()) == expected(t - back, b));
      }
  }
}
