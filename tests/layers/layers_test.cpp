// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <cmath>
#include <map>

#include "layers/batch_norm.hpp"
#include "layers/conv1d.hpp"
#include "layers/lmu_memory.hpp"
#include "sim/error.hpp"
#include "sim/hdf5/hdf5.hpp"
#include "sim/run.hpp"
#include "tests/support/registries.hpp"

using namespace snnsim;

namespace {

/// Tensors given by hand.
class HandTensors final : public layers::TensorSource {
 public:
  std::map<std::string, layers::Tensor> t;
  bool has(const std::string& n) const override { return t.count(n) > 0; }
  layers::Shape shape(const std::string& n) const override { return t.at(n).shape; }
  layers::Tensor get(const std::string& n, const layers::Shape& s) const override {
    if (!has(n)) throw Error(origin(), n, "a tensor", "nothing");
    if (t.at(n).shape != s) throw Error(origin(), n, "shape " + layers::shape_text(s), "shape " + layers::shape_text(t.at(n).shape));
    return t.at(n);
  }
  std::string origin() const override { return "hand"; }
};

sim::PopulationId add_input(sim::Network& net, std::size_t size, bool graded) {
  sim::Population p;
  p.name = "in";
  p.size = size;
  p.kind = sim::PopulationKind::Input;
  p.graded = graded;
  return net.add_population(std::move(p));
}

sim::PopulationId add_analog(sim::Network& net, const std::string& name, std::size_t size) {
  sim::Population p;
  p.name = name;
  p.size = size;
  p.kind = sim::PopulationKind::Analog;
  const auto id = net.add_population(std::move(p));
  net.add_output(id, name);
  return id;
}

/// Runs one trial on `backend` and returns the first output's values [T][size].
std::vector<double> run_one(const sim::Network& net, const std::string& backend, const sim::Stimulus& stimulus) {
  const auto compiled = test::registries().backends.get(backend, "t", "b").compile(net, {});
  auto ws = compiled->make_workspace();
  sim::TrialRecord rec;
  rec.reset(net, {});
  compiled->run_trial(*ws, stimulus, {}, rec);
  return rec.outputs.at(0);
}

}  // namespace

TEST_CASE("conv1d K = 3 is PyTorch's zero-padded cross-correlation, reading one step ahead (hand computation)") {
  HandTensors w;
  // W[o=0][i][k], dyadic values so that every sum is exact in any order.
  w.t["c.weight"] = {{0.5, -0.25, 1.0, 2.0, 0.125, -1.0}, {1, 2, 3}};
  w.t["c.bias"] = {{0.75}, {1}};
  const sim::Conv1d c = layers::load_conv1d(w, "c", 1, 2, 3, true);
  CHECK(c.first_offset == -1);
  sim::Network net("conv", 4, sim::Precision::F32);
  const auto in = add_input(net, 2, true);
  const auto y = add_analog(net, "y", 1);
  net.connect(in, y, {"c", 0, c});
  const std::vector<float> x = {1, 2, 0.5f, 0, 0, 4, 2, 1};  // x[t][i], T = 4
  sim::Stimulus s;
  s.resize(net.population_count());
  s.values[in] = x;
  // y_t = 0.75 + sum_i (W[i,0] x_{t-1}[i] + W[i,1] x_t[i] + W[i,2] x_{t+1}[i]), x_{-1} = x_4 = 0
  auto X = [&](int t, int i) { return (t < 0 || t > 3) ? 0.0 : double(x[static_cast<std::size_t>(t * 2 + i)]); };
  const double W[2][3] = {{0.5, -0.25, 1.0}, {2.0, 0.125, -1.0}};
  std::vector<double> expected;
  for (int t = 0; t < 4; ++t) {
    double v = 0.75;
    for (int i = 0; i < 2; ++i)
      for (int k = 0; k < 3; ++k) v += W[i][k] * X(t + k - 1, i);
    expected.push_back(v);
  }
  CHECK(expected == std::vector<double>{1.25, 1.125, 2.5, 8.375});  // worked by hand
  for (const char* backend : {"cpu_event", "dense_reference"}) {
    CAPTURE(backend);
    CHECK(run_one(net, backend, s) == expected);
  }
}

TEST_CASE("batch_norm: the eval affine, and folding it into the weight layer before it (hand computation)") {
  HandTensors w;
  w.t["bn.running_mean"] = {{1.0}, {1}};
  w.t["bn.running_var"] = {{3.0}, {1}};
  w.t["bn.weight"] = {{2.0}, {1}};
  w.t["bn.bias"] = {{0.5}, {1}};
  const layers::BatchNorm bn = layers::load_batch_norm(w, "bn", 1);
  const float a = 2.0f * (1.0f / std::sqrt(3.0f + 1e-5f));
  CHECK(bn.scale[0] == a);
  CHECK(bn.shift[0] == 0.5f - 1.0f * a);
  sim::Conv1d c{1, 2, 1, 0, {0.5, -1.5}, {0.25}};
  layers::fold_batch_norm(bn, c);
  CHECK(c.weight[0] == double(0.5f * a));
  CHECK(c.weight[1] == double(-1.5f * a));
  CHECK(c.bias[0] == double((0.25f - 1.0f) * a + 0.5f));

  w.t["bad.running_mean"] = {{0.0}, {1}};
  w.t["bad.running_var"] = {{-1.0}, {1}};
  w.t["bad.weight"] = {{1.0}, {1}};
  w.t["bad.bias"] = {{0.0}, {1}};
  CHECK_THROWS_WITH(layers::load_batch_norm(w, "bad", 1), "hand: bad.running_var: expected values >= 0, got -1 at index 0");
}

TEST_CASE("lmu_memory: the sum of impulse-response columns at the spike times equals the LMU recurrence") {
  const h5::File f = h5::File::open_read(test::golden_model());
  const auto A = f.read<float>("/weights/block.0.attn.lmu.A").data;
  const auto B = f.read<float>("/weights/block.0.attn.lmu.B").data;
  const auto H = f.read<float>("/weights/block.0.attn.lmu.H");
  const std::size_t M = H.shape[0], T = H.shape[1];
  HandTensors w;
  w.t["lmu.H"] = {std::vector<double>(H.data.begin(), H.data.end()), {M, T}};
  sim::Network net("lmu", static_cast<sim::TimeStep>(T), sim::Precision::F32);
  const auto u = add_input(net, 1, false);
  const auto m = add_analog(net, "m", M);
  net.connect(u, m, {"lmu.H", 0, layers::load_lmu_memory(w, "lmu", M)});
  const std::vector<sim::TimeStep> times = {0, 3, 4, 11, 20, 27};
  sim::SpikeTrains trains{std::vector<std::uint32_t>(times.size(), 0), times};
  sim::Stimulus s;
  s.resize(net.population_count());
  s.spikes[u] = &trains;

  // m_t = A m_{t-1} + B u_t in float64 with the stored A and B.
  std::vector<double> rec(M, 0.0), expected;
  for (std::size_t t = 0; t < T; ++t) {
    const double ut = std::count(times.begin(), times.end(), static_cast<sim::TimeStep>(t)) ? 1.0 : 0.0;
    std::vector<double> next(M, 0.0);
    for (std::size_t i = 0; i < M; ++i) {
      for (std::size_t j = 0; j < M; ++j) next[i] += double(A[i * M + j]) * rec[j];
      next[i] += double(B[i]) * ut;
    }
    rec = next;
    expected.insert(expected.end(), rec.begin(), rec.end());
  }
  for (const char* backend : {"cpu_event", "dense_reference"}) {
    CAPTURE(backend);
    const std::vector<double> got = run_one(net, backend, s);
    double worst = 0;
    for (std::size_t k = 0; k < got.size(); ++k) worst = std::max(worst, std::abs(got[k] - expected[k]));
    CHECK(worst < 2e-5);  // float32 columns vs a float64 recurrence (golden README section 4: ~1e-6)
    // and exactly the float32 sum of columns H[:, t - j], earliest spike first
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t i = 0; i < M; ++i) {
        float sum = 0.0f;
        for (sim::TimeStep j : times)
          if (j <= static_cast<sim::TimeStep>(t)) sum += H.data[i * T + (t - static_cast<std::size_t>(j))];
        REQUIRE(got[t * M + i] == double(sum));
      }
  }
}

TEST_CASE("input_slice splits a projection of a concatenated input; the bias stays with the first part") {
  const sim::Conv1d c{2, 3, 1, 0, {1, 2, 3, 4, 5, 6}, {7, 8}};
  const sim::Conv1d first = layers::input_slice(c, 0, 2), second = layers::input_slice(c, 2, 1);
  CHECK(first.weight == std::vector<double>{1, 2, 4, 5});
  CHECK(first.bias == std::vector<double>{7, 8});
  CHECK(second.weight == std::vector<double>{3, 6});
  CHECK(second.bias.empty());
}
