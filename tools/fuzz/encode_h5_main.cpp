// SPDX-License-Identifier: MIT
// fuzz_encode_h5 IN.h5 OUT: writes the h5_builder encoding of an HDF5 file (a seed for the
// structured fuzz targets); fuzz_encode_h5 --decode IN OUT.h5 does the reverse (to inspect a
// crashing input as an HDF5 file, e.g. with h5dump).
#include <fstream>
#include <iostream>
#include <iterator>
#include <string_view>
#include <vector>

#include "tools/fuzz/h5_builder.hpp"

int main(int argc, char** argv) {
  using namespace snnsim::fuzz;
  if (argc == 4 && std::string_view(argv[1]) == "--decode") {
    std::ifstream in(argv[2], std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return build_h5(bytes, argv[3]) ? 0 : 1;
  }
  if (argc != 3) {
    std::cerr << "usage: fuzz_encode_h5 IN.h5 OUT | fuzz_encode_h5 --decode IN OUT.h5\n";
    return 2;
  }
  const std::vector<std::uint8_t> bytes = encode_h5(argv[1]);
  if (bytes.empty()) {
    std::cerr << "fuzz_encode_h5: " << argv[1] << ": not a readable HDF5 file\n";
    return 2;
  }
  std::ofstream out(argv[2], std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return out ? 0 : 1;
}
