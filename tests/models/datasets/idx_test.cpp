// SPDX-License-Identifier: MIT
// models/datasets/idx: the real Fashion-MNIST test set against the golden reference's inputs and
// labels, and verbatim errors for damaged files.
#include "models/datasets/idx.hpp"

#include <doctest/doctest.h>
#include <zlib.h>

#include <array>
#include <bit>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/error.hpp"
#include "tests/support/error_of.hpp"
#include "sim/hdf5/hdf5.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
namespace ds = snnsim::datasets;
using snnsim::Error;
using snnsim::test::TempDir;

namespace {

const fs::path golden_path = fs::path(SNNSIM_SOURCE_DIR) / "../shared/golden/lmuformer_sfmnist.h5";
const fs::path fmnist = fs::path(ds::default_fashion_mnist_dir);

using snnsim::test::error_of;

/// An unsigned-byte IDX file's bytes: magic, big-endian dims, then `data`.
std::string idx_bytes(const std::vector<std::uint32_t>& dims, const std::string& data,
                      unsigned char type = 0x08) {
  std::string s = {'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
  for (const std::uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((d >> shift) & 0xff);
  }
  return s + data;
}

fs::path write_gz(const fs::path& path, const std::string& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  REQUIRE(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())) == static_cast<int>(bytes.size()));
  REQUIRE(gzclose(f) == Z_OK);
  return path;
}

}  // namespace

TEST_CASE("Fashion-MNIST t10k: counts, labels and the golden model inputs") {
  const ds::ImageSet set = ds::load_fashion_mnist(fmnist, "t10k");
  REQUIRE(set.count == 10000);
  REQUIRE(set.rows == 28);
  REQUIRE(set.cols == 28);
  REQUIRE(set.pixels.size() == 10000u * 28 * 28);
  REQUIRE(set.labels.size() == 10000);
  // Fashion-MNIST's test set is balanced: 1000 images per class (numpy.bincount of the labels).
  std::array<int, 10> per_class{};
  for (const std::uint8_t l : set.labels) ++per_class[l];
  for (const int n : per_class) CHECK(n == 1000);
  // Pixel sum of image 0 (numpy: sum of the first 784 data bytes) -> 33456.
  std::uint64_t sum0 = 0;
  for (std::size_t i = 0; i < 784; ++i) sum0 += set.pixels[i];
  CHECK(sum0 == 33456);

  const snnsim::h5::File golden = snnsim::h5::File::open_read(golden_path);
  const auto labels = golden.read<std::int64_t>("/golden/labels");
  for (std::size_t i = 0; i < 8; ++i) {
    CAPTURE(i);
    CHECK(set.labels[i] == labels.data[i]);
  }
  const auto indices = golden.read<std::int64_t>("/golden/indices");
  CHECK(indices.data[15] == 15);

  const auto inputs = golden.read<float>("/golden/inputs", {256, 28, 28});
  for (std::size_t img = 0; img < 16; ++img) {
    const std::vector<float> x = ds::image_to_sequence(set.pixels.data() + img * 784, 28, 28, 28, 28);
    REQUIRE(x.size() == 784);
    std::size_t mismatches = 0;
    for (std::size_t k = 0; k < 784; ++k) {
      if (std::bit_cast<std::uint32_t>(x[k]) != std::bit_cast<std::uint32_t>(inputs.data[img * 784 + k])) {
        ++mismatches;
      }
    }
    CAPTURE(img);
    CHECK(mismatches == 0);  // bit for bit
  }
}

TEST_CASE("Fashion-MNIST: max_count keeps only the first images") {
  const ds::ImageSet few = ds::load_fashion_mnist(fmnist, "t10k", 16);
  CHECK(few.count == 16);
  CHECK(few.pixels.size() == 16u * 784);
  CHECK(few.labels == std::vector<std::uint8_t>{9, 2, 1, 1, 6, 1, 4, 6, 5, 7, 4, 5, 7, 3, 4, 1});
  // train split: first labels from numpy -> [9, 0, 0, 3, 0, 2, 7, 2], 60000 images declared.
  const ds::ImageSet train = ds::load_fashion_mnist(fmnist, "train", 8);
  CHECK(train.count == 8);
  CHECK(train.labels == std::vector<std::uint8_t>{9, 0, 0, 3, 0, 2, 7, 2});
  ds::IdxReadOptions options;
  options.max_items = 3;
  const ds::IdxArray labels = ds::read_idx_u8(fmnist / "train-labels-idx1-ubyte.gz", options);
  CHECK(labels.dims == std::vector<std::size_t>{3});
  CHECK(labels.file_items == 60000);
}

TEST_CASE("image_to_sequence: layout and scaling") {
  const std::vector<std::uint8_t> px = {0, 1, 2, 127, 128, 254, 255, 51};
  // 2 x 4 image cut into 4 steps of 2 features: the row-major order is kept.
  const std::vector<float> x = ds::image_to_sequence(px.data(), 2, 4, 4, 2);
  REQUIRE(x.size() == 8);
  for (std::size_t i = 0; i < 8; ++i) {
    CAPTURE(i);
    CHECK(std::bit_cast<std::uint32_t>(x[i]) ==
          std::bit_cast<std::uint32_t>(static_cast<float>(px[i]) / 255.0f));
  }
  CHECK(x[6] == 1.0f);
  CHECK(x[7] == 0.2f);  // 51/255 rounds to the float nearest 0.2
  CHECK(error_of([&] { ds::image_to_sequence(px.data(), 28, 28, 28, 29); }) ==
        "image layout: steps x features: expected rows*cols = 784, got 28 x 29 = 812");
}

TEST_CASE("read_idx_u8: plain and gzip files") {
  TempDir dir("idx");
  const std::string bytes = idx_bytes({2, 3}, "abcdef");
  const fs::path plain = dir.write("plain.idx", bytes);
  const fs::path gz = write_gz(dir / "packed.idx.gz", bytes);
  for (const fs::path& p : {plain, gz}) {
    const ds::IdxArray a = ds::read_idx_u8(p);
    CHECK(a.dims == std::vector<std::size_t>{2, 3});
    CHECK(a.file_items == 2);
    CHECK(std::string(a.data.begin(), a.data.end()) == "abcdef");
  }
}

TEST_CASE("read_idx_u8: verbatim errors") {
  TempDir dir("idx");
  const fs::path missing = dir / "missing-idx1-ubyte.gz";
  CHECK(error_of([&] { ds::read_idx_u8(missing); }) ==
        missing.string() + ": expected a readable IDX file, got no such file");
  CHECK(error_of([&] { ds::read_idx_u8(dir.path()); }) ==
        dir.path().string() + ": expected a readable IDX file, got a folder");

  // Wrong element type (0x0D = float), as seen by the generic reader and with dimension limits.
  const fs::path floats = dir.write("floats.idx", idx_bytes({3}, "abc", 0x0D));
  CHECK(error_of([&] { ds::read_idx_u8(floats); }) ==
        floats.string() + ": magic: expected 0x00000801 to 0x00000808 (unsigned byte, 1 to 8 dimensions), got 0x00000d01");
  ds::IdxReadOptions one_or_three;
  one_or_three.ndims = {1, 3};
  CHECK(error_of([&] { ds::read_idx_u8(floats, one_or_three); }) ==
        floats.string() + ": magic: expected 0x00000801 or 0x00000803 (unsigned byte, 1 or 3 dimensions), got 0x00000d01");
  const fs::path two_d = dir.write("two_d.idx", idx_bytes({1, 3}, "abc"));
  CHECK(error_of([&] { ds::read_idx_u8(two_d, one_or_three); }) ==
        two_d.string() + ": magic: expected 0x00000801 or 0x00000803 (unsigned byte, 1 or 3 dimensions), got 0x00000802");
  const fs::path text = dir.write("text.idx", "hello world");
  CHECK(error_of([&] { ds::read_idx_u8(text); }) ==
        text.string() + ": magic: expected 0x00000801 to 0x00000808 (unsigned byte, 1 to 8 dimensions), got 0x68656c6c");
  const fs::path tiny = dir.write("tiny.idx", std::string("\0\0", 2));
  CHECK(error_of([&] { ds::read_idx_u8(tiny); }) == tiny.string() + ": magic: expected 4 bytes, got 2 bytes");
  const fs::path short_dims = dir.write("short_dims.idx", idx_bytes({7, 7, 7}, "").substr(0, 9));
  CHECK(error_of([&] { ds::read_idx_u8(short_dims); }) ==
        short_dims.string() + ": dims: expected 12 bytes, got 5 bytes");

  // Truncated data, plain and inside a complete gzip stream.
  const std::string cut = idx_bytes({4, 2, 2}, "0123456789");
  const fs::path cut_plain = dir.write("cut.idx", cut);
  CHECK(error_of([&] { ds::read_idx_u8(cut_plain); }) ==
        cut_plain.string() + ": data: expected 16 bytes, got 10 bytes");
  const fs::path cut_gz = write_gz(dir / "cut.idx.gz", cut);
  CHECK(error_of([&] { ds::read_idx_u8(cut_gz); }) == cut_gz.string() + ": data: expected 16 bytes, got 10 bytes");
  // Extra bytes after the declared data.
  const fs::path long_file = dir.write("long.idx", idx_bytes({2}, "abc"));
  CHECK(error_of([&] { ds::read_idx_u8(long_file); }) ==
        long_file.string() + ": data: expected 2 bytes, got more than 2 bytes");

  // A truncated gzip stream: the real test images cut to their first 100,000 compressed bytes.
  const std::string packed = TempDir::read(fmnist / "t10k-images-idx3-ubyte.gz");
  const fs::path cut_stream = dir.write("t10k-images-idx3-ubyte.gz", packed.substr(0, 100000));
  try {
    ds::read_idx_u8(cut_stream);
    FAIL("no error for a truncated gzip stream");
  } catch (const Error& e) {
    CHECK(e.source() == cut_stream.string());
    CHECK(e.field() == "data");
    CHECK(e.expected() == "7840000 bytes");
    const std::size_t got = std::stoul(e.got());
    CHECK(e.got() == std::to_string(got) + " bytes");
    CHECK(got > 0);
    CHECK(got < 7840000);
  }
  // A gzip stream cut inside its 8-byte trailer: every data byte arrives, the CRC does not.
  const std::string labels_packed = TempDir::read(fmnist / "t10k-labels-idx1-ubyte.gz");
  const fs::path cut_trailer =
      dir.write("cut-trailer.gz", labels_packed.substr(0, labels_packed.size() - 4));
  CHECK(error_of([&] { ds::read_idx_u8(cut_trailer); }) ==
        cut_trailer.string() + ": data: expected a complete gzip stream, got unexpected end of file");

  // Absurd declared sizes are refused before allocating.
  const fs::path huge = dir.write("huge.idx", idx_bytes({0xffffffffu, 0xffffffffu, 16}, "x"));
  CHECK(error_of([&] { ds::read_idx_u8(huge); }) ==
        huge.string() + ": dims: expected at most 1073741824 bytes of data, got more than 18446744073709551614 bytes");
  ds::IdxReadOptions small;
  small.max_bytes = 1000;
  const fs::path big = dir.write("big.idx", idx_bytes({10, 101}, ""));
  CHECK(error_of([&] { ds::read_idx_u8(big, small); }) ==
        big.string() + ": dims: expected at most 1000 bytes of data, got 1010 bytes");
}

TEST_CASE("load_fashion_mnist: verbatim errors") {
  TempDir dir("fmnist");
  const std::string images = idx_bytes({3, 2, 2}, std::string(12, '\x10'));
  write_gz(dir / "t10k-images-idx3-ubyte.gz", images);
  const fs::path labels = write_gz(dir / "t10k-labels-idx1-ubyte.gz", idx_bytes({2}, "\x01\x02"));
  CHECK(error_of([&] { ds::load_fashion_mnist(dir.path(), "t10k"); }) ==
        labels.string() + ": dims[0]: expected 3 (the number of images), got 2");
  CHECK(error_of([&] { ds::load_fashion_mnist(dir.path(), "t10k", 1); }) ==
        labels.string() + ": dims[0]: expected 3 (the number of images), got 2");

  write_gz(dir / "t10k-labels-idx1-ubyte.gz", idx_bytes({3}, "\x01\x0c\x02"));
  CHECK(error_of([&] { ds::load_fashion_mnist(dir.path(), "t10k"); }) ==
        labels.string() + ": data[1]: expected a class 0..9, got 12");

  write_gz(dir / "t10k-labels-idx1-ubyte.gz", idx_bytes({3}, "\x01\x09\x02"));
  const ds::ImageSet ok = ds::load_fashion_mnist(dir.path(), "t10k");
  CHECK(ok.count == 3);
  CHECK(ok.rows == 2);
  CHECK(ok.cols == 2);
  CHECK(ok.labels == std::vector<std::uint8_t>{1, 9, 2});

  // Images and labels swapped.
  const fs::path swapped = write_gz(dir / "train-images-idx3-ubyte.gz", idx_bytes({3}, "abc"));
  CHECK(error_of([&] { ds::load_fashion_mnist(dir.path(), "train"); }) ==
        swapped.string() + ": magic: expected 0x00000803 (unsigned byte, 3 dimensions), got 0x00000801");
  write_gz(dir / "train-images-idx3-ubyte.gz", idx_bytes({3, 0, 2}, ""));
  CHECK(error_of([&] { ds::load_fashion_mnist(dir.path(), "train"); }) ==
        swapped.string() + ": dims[1]: expected at least 1, got 0");

  CHECK(error_of([&] { ds::load_fashion_mnist(dir.path(), "test"); }) ==
        dir.path().string() + ": split: expected \"t10k\" or \"train\", got \"test\"");
  const fs::path empty_dir = dir / "empty";
  fs::create_directory(empty_dir);
  CHECK(error_of([&] { ds::load_fashion_mnist(empty_dir, "t10k"); }) ==
        (empty_dir / "t10k-images-idx3-ubyte.gz").string() +
            ": expected a readable IDX file, got no such file");
}
