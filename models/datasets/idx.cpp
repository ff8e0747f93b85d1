// SPDX-License-Identifier: MIT
#include "models/datasets/idx.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <system_error>

#include "sim/error.hpp"
#include "sim/memory_limit.hpp"

namespace snnsim::datasets {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t size_max = std::numeric_limits<std::size_t>::max();

/// gzread on a plain file passes the bytes through, so one reader serves both forms.
class GzReader {
 public:
  explicit GzReader(const fs::path& path) : file_(gzopen(path.c_str(), "rb")) {
    if (file_) gzbuffer(file_, 1u << 17);
  }
  GzReader(const GzReader&) = delete;
  GzReader& operator=(const GzReader&) = delete;
  ~GzReader() {
    if (file_) gzclose(file_);
  }
  explicit operator bool() const { return file_ != nullptr; }

  /// Reads up to `n` bytes; returns how many arrived (fewer at the end of the data or on error).
  std::size_t read(void* buf, std::size_t n) {
    auto* out = static_cast<unsigned char*>(buf);
    std::size_t done = 0;
    while (done < n) {
      const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(n - done, 1u << 30));
      const int got = gzread(file_, out + done, chunk);
      if (got <= 0) break;
      done += static_cast<std::size_t>(got);
    }
    return done;
  }

  /// zlib's error after a short read: Z_OK or Z_BUF_ERROR (input ended) mean the data just ended.
  /// zlib prefixes its message with the path, which the Error already names.
  int error(std::string* message, const std::string& path) const {
    int code = Z_OK;
    const char* text = gzerror(file_, &code);
    std::string m = text ? text : "";
    if (m.rfind(path + ": ", 0) == 0) m.erase(0, path.size() + 2);
    if (message) *message = m;
    return code;
  }

 private:
  gzFile file_;
};

std::string hex32(const unsigned char m[4]) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02x%02x%02x%02x", m[0], m[1], m[2], m[3]);
  return buf;
}

/// "0x00000801 or 0x00000803 (unsigned byte, 1 or 3 dimensions)".
std::string expected_magic(const std::vector<std::size_t>& ndims) {
  if (ndims.empty()) return "0x00000801 to 0x00000808 (unsigned byte, 1 to 8 dimensions)";
  auto join = [&](auto item) {
    std::string s;
    for (std::size_t i = 0; i < ndims.size(); ++i) {
      if (i > 0) s += (i + 1 == ndims.size()) ? " or " : ", ";
      s += item(ndims[i]);
    }
    return s;
  };
  const std::string magics = join([](std::size_t n) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x000008%02zx", n);
    return std::string(buf);
  });
  const std::string counts = join([](std::size_t n) { return std::to_string(n); });
  const bool one = ndims.size() == 1 && ndims[0] == 1;
  return magics + " (unsigned byte, " + counts + (one ? " dimension)" : " dimensions)");
}

/// Product with overflow saturating at SIZE_MAX.
std::size_t product(const std::vector<std::size_t>& dims, std::size_t from) {
  std::size_t n = 1;
  for (std::size_t i = from; i < dims.size(); ++i) {
    if (dims[i] == 0) return 0;
    n = n > size_max / dims[i] ? size_max : n * dims[i];
  }
  return n;
}

std::string bytes_str(std::size_t n) {
  return n == size_max ? "more than " + std::to_string(size_max - 1) + " bytes"
                       : std::to_string(n) + " bytes";
}

}  // namespace

IdxArray read_idx_u8(const fs::path& path, const IdxReadOptions& options) {
  const std::string src = path.string();
  auto unreadable = [&](const char* got) { return Error(src, "", "a readable IDX file", got); };
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) throw unreadable("no such file");
  if (ec) throw unreadable("an unreadable file");
  if (status.type() == fs::file_type::directory) throw unreadable("a folder");
  GzReader in(path);
  if (!in) throw unreadable("an unreadable file");

  unsigned char magic[4] = {};
  const std::size_t magic_got = in.read(magic, 4);
  if (magic_got < 4) throw Error(src, "magic", "4 bytes", std::to_string(magic_got) + " bytes");
  const std::size_t ndim = magic[3];
  const bool ndim_ok = options.ndims.empty()
                           ? (ndim >= 1 && ndim <= 8)
                           : std::find(options.ndims.begin(), options.ndims.end(), ndim) !=
                                 options.ndims.end();
  if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 || !ndim_ok) {
    throw Error(src, "magic", expected_magic(options.ndims), hex32(magic));
  }

  std::vector<unsigned char> header(4 * ndim);
  const std::size_t header_got = in.read(header.data(), header.size());
  if (header_got < header.size()) {
    throw Error(src, "dims", std::to_string(header.size()) + " bytes",
                std::to_string(header_got) + " bytes");
  }
  IdxArray out;
  for (std::size_t i = 0; i < ndim; ++i) {
    const unsigned char* b = &header[4 * i];
    out.dims.push_back((std::size_t{b[0]} << 24) | (std::size_t{b[1]} << 16) |
                       (std::size_t{b[2]} << 8) | std::size_t{b[3]});
  }
  const std::size_t declared = product(out.dims, 0);
  const std::size_t max_bytes = std::min(options.max_bytes, sim::memory_limit());
  if (declared > max_bytes) {
    throw Error(src, "dims", "at most " + std::to_string(max_bytes) + " bytes of data",
                bytes_str(declared));
  }
  out.file_items = out.dims[0];
  const std::size_t items = std::min(out.dims[0], options.max_items);
  const std::size_t want = items * product(out.dims, 1);  // <= declared, no overflow
  out.dims[0] = items;
  // The buffer grows as data arrives, so a short file declaring a large size costs what it
  // holds, not what it declares.
  constexpr std::size_t chunk = std::size_t{1} << 22;
  std::size_t got = 0;
  while (got < want) {
    const std::size_t n = std::min(chunk, want - got);
    out.data.resize(got + n);
    const std::size_t arrived = in.read(out.data.data() + got, n);
    got += arrived;
    if (arrived < n) break;
  }
  std::string message;
  if (got < want) {
    const int err = in.error(&message, src);
    if (err != Z_OK && err != Z_BUF_ERROR) {
      throw Error(src, "data", "a valid gzip stream", message);
    }
    throw Error(src, "data", std::to_string(want) + " bytes", std::to_string(got) + " bytes");
  }
  if (items == out.file_items) {
    // Whole file read: it must end here, and reaching the end checks the gzip CRC and length.
    unsigned char extra = 0;
    if (in.read(&extra, 1) == 1) {
      throw Error(src, "data", std::to_string(want) + " bytes",
                  "more than " + std::to_string(want) + " bytes");
    }
    const int err = in.error(&message, src);
    if (err == Z_BUF_ERROR) throw Error(src, "data", "a complete gzip stream", message);
    if (err != Z_OK) throw Error(src, "data", "a valid gzip stream", message);
  }
  return out;
}

ImageSet load_fashion_mnist(const fs::path& dir, std::string_view split, std::size_t max_count) {
  if (split != "t10k" && split != "train") {
    throw Error(dir.string(), "split", "\"t10k\" or \"train\"", "\"" + std::string(split) + "\"");
  }
  const fs::path images_path = dir / (std::string(split) + "-images-idx3-ubyte.gz");
  const fs::path labels_path = dir / (std::string(split) + "-labels-idx1-ubyte.gz");
  IdxReadOptions image_options;
  image_options.ndims = {3};
  image_options.max_items = max_count;
  IdxArray images = read_idx_u8(images_path, image_options);
  for (std::size_t i = 1; i < 3; ++i) {
    if (images.dims[i] == 0) {
      throw Error(images_path.string(), "dims[" + std::to_string(i) + "]", "at least 1", "0");
    }
  }
  IdxReadOptions label_options;
  label_options.ndims = {1};
  label_options.max_items = max_count;
  IdxArray labels = read_idx_u8(labels_path, label_options);
  if (labels.file_items != images.file_items) {
    throw Error(labels_path.string(), "dims[0]",
                std::to_string(images.file_items) + " (the number of images)",
                std::to_string(labels.file_items));
  }
  for (std::size_t i = 0; i < labels.data.size(); ++i) {
    if (labels.data[i] > 9) {
      throw Error(labels_path.string(), "data[" + std::to_string(i) + "]", "a class 0..9",
                  std::to_string(labels.data[i]));
    }
  }
  ImageSet set;
  set.count = images.dims[0];
  set.rows = images.dims[1];
  set.cols = images.dims[2];
  set.pixels = std::move(images.data);
  set.labels = std::move(labels.data);
  return set;
}

std::vector<float> image_to_sequence(const std::uint8_t* pixels, std::size_t rows,
                                     std::size_t cols, std::size_t steps, std::size_t features) {
  const std::size_t n = product({rows, cols}, 0);
  const std::size_t m = product({steps, features}, 0);
  if (n != m || n == size_max) {
    throw Error("image layout", "steps x features", "rows*cols = " + std::to_string(n),
                std::to_string(steps) + " x " + std::to_string(features) + " = " +
                    (m == size_max ? "more than " + std::to_string(size_max - 1) : std::to_string(m)));
  }
  if (pixels == nullptr && n > 0) throw Error("image layout", "pixels", "an image", "no pixel data");
  // Row-major flattening cut into steps of `features` values is the identity on the flat index:
  // x[t][f] = pixel[(t*features + f) / cols][(t*features + f) % cols].
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    // A float32 division, as the reference computes it (not a multiplication by 1/255).
    x[i] = static_cast<float>(pixels[i]) / 255.0f;
  }
  return x;
}

}  // namespace snnsim::datasets
