// SPDX-License-Identifier: MIT
// Fuzz target: the IDX reader (models/datasets/idx.cpp), plain and gzip-compressed, with the
// option sets the CLI uses (images: 3 dimensions, labels: 1 dimension, a first-N cut).
#include <cstddef>
#include <cstdint>

#include "models/datasets/idx.hpp"
#include "tools/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace snnsim;
  static const fuzz::ScratchFile scratch("input.idx");
  if (size == 0) return 0;
  // The first byte picks the options; the rest is the file.
  const std::uint8_t mode = data[0];
  datasets::IdxReadOptions options;
  if (mode & 1) options.ndims = {3};
  else if (mode & 2) options.ndims = {1};
  if (mode & 4) options.max_items = mode >> 4;
  options.max_bytes = fuzz::fuzz_max_bytes;
  scratch.write(data + 1, size - 1);
  return fuzz::expect_clean([&] {
    const datasets::IdxArray a = datasets::read_idx_u8(scratch.path(), options);
    // The result must be self-consistent whatever the file said.
    std::size_t n = a.dims.empty() ? 0 : 1;
    for (std::size_t d : a.dims) n *= d;
    if (n != a.data.size()) __builtin_trap();
  });
}
