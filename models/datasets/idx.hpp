// SPDX-License-Identifier: MIT
#pragma once
/// IDX files (the MNIST / Fashion-MNIST format: magic 0x00 0x00 <type> <ndim>, ndim big-endian
/// uint32 dimensions, then the values), plain or gzip-compressed, and the sequential
/// Fashion-MNIST input layout of the golden LMUFormer reference (../shared/golden/README.md §1).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string_view>
#include <vector>

namespace snnsim::datasets {

/// Where Debian's dataset-fashion-mnist package installs the files.
inline constexpr std::string_view default_fashion_mnist_dir = "/usr/share/datasets/fashion-mnist";

/// Default limit on the data bytes an IDX header may declare.
inline constexpr std::size_t default_idx_max_bytes = std::size_t{1} << 30;

/// Unsigned-byte IDX contents: `data` row-major with dimensions `dims`.
struct IdxArray {
  std::vector<std::uint8_t> data;
  std::vector<std::size_t> dims;
  /// dims[0] as declared by the file (dims[0] is smaller when IdxReadOptions::max_items cut the read).
  std::size_t file_items = 0;
};

struct IdxReadOptions {
  /// Accepted numbers of dimensions; empty accepts 1 to 8.
  std::vector<std::size_t> ndims = {};
  /// Read only the first `max_items` entries of dimension 0 (dims[0] of the result is reduced).
  std::size_t max_items = std::numeric_limits<std::size_t>::max();
  /// A header declaring more data bytes than this (or than sim::memory_limit()) is an error,
  /// raised before allocating.
  std::size_t max_bytes = default_idx_max_bytes;
};

/// Reads an unsigned-byte (type 0x08) IDX file, gzip-compressed or plain. Errors name the header
/// field: Error(path, "magic", "0x00000801 or 0x00000803 (unsigned byte, 1 or 3 dimensions)",
/// "0x00000d03"), Error(path, "data", "N bytes", "M bytes") for a truncated file,
/// Error(path, "", "a readable IDX file", "no such file") for a missing one.
IdxArray read_idx_u8(const std::filesystem::path& path, const IdxReadOptions& options = {});

/// Images with their labels, `pixels` [count, rows, cols] row-major.
struct ImageSet {
  std::size_t count = 0, rows = 0, cols = 0;
  std::vector<std::uint8_t> pixels;
  std::vector<std::uint8_t> labels;
};

/// Reads `<split>-images-idx3-ubyte.gz` and `<split>-labels-idx1-ubyte.gz` from `dir` (split
/// "t10k" or "train"), keeping the first `max_count` images. The label count must equal the image
/// count and every label must be a class 0..9.
ImageSet load_fashion_mnist(const std::filesystem::path& dir, std::string_view split,
                            std::size_t max_count = std::numeric_limits<std::size_t>::max());

/// The golden model's input for one image: x[t][f] = float32(p) / float32(255) of pixel
/// (t*features + f) in row-major order, returned as [steps * features] (t major).
/// Error("image layout", "steps x features", "rows*cols = 784", "28 x 29 = 812") when
/// steps * features differs from rows * cols.
std::vector<float> image_to_sequence(const std::uint8_t* pixels, std::size_t rows, std::size_t cols,
                                     std::size_t steps, std::size_t features);

}  // namespace snnsim::datasets
