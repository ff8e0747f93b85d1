// SPDX-License-Identifier: MIT
#pragma once
/// A thin RAII layer over the HDF5 C API (serial HDF5 1.10 and later).
///
/// Reading: File::open_read(path) is the root Group; groups give members by relative path
/// (components separated by '/', names may contain dots such as `patch_embed.proj_conv.weight`;
/// a leading '/' starts at the file's root). Numbers are converted by HDF5 into the requested
/// native type, and a value that the type cannot hold exactly (out of range, fractional for an
/// integer type, NaN or infinite for an integer type) is an error, never a silently clipped value.
/// Writing: AtomicH5Writer builds a new file in a temporary file and renames it over the target on
/// commit(). Every problem is a snnsim::Error naming the file and the full HDF5 path, e.g.
/// `model.h5: /weights/head.weight: expected shape [10, 128], got shape [10, 64]`; attributes are
/// named `/path@name`. This header does not include <hdf5.h>. Serial HDF5 is not thread-safe:
/// call into this layer from one thread at a time.
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace snnsim::h5 {

/// An HDF5 identifier (hid_t, a 64-bit integer since HDF5 1.10).
using Id = std::int64_t;

/// Dimensions of a dataset or attribute, slowest-varying first; empty for a scalar.
using Shape = std::vector<std::size_t>;

/// "[10, 128]"; "[]" for a scalar.
std::string shape_str(const Shape& shape);

/// Number of elements (1 for a scalar); saturates at SIZE_MAX instead of overflowing.
std::size_t element_count(const Shape& shape);

/// The numeric element types that can be read and written.
template <class T>
concept Numeric = std::same_as<T, float> || std::same_as<T, double> ||
                  std::same_as<T, std::int64_t> || std::same_as<T, std::int32_t> ||
                  std::same_as<T, std::uint8_t>;

/// Values in row-major order with their shape.
template <class T>
struct Array {
  std::vector<T> data;
  Shape shape;
  std::size_t size() const noexcept { return data.size(); }
};

/// What an owned identifier is, which decides how it is closed.
enum class HandleKind { File, Group, Dataset, Dataspace, Datatype, Attribute, PropertyList };

/// An owned HDF5 identifier, closed with the H5*close matching its kind. Move-only.
class Handle {
 public:
  Handle() noexcept = default;
  Handle(Id id, HandleKind kind) noexcept : id_(id), kind_(kind) {}
  Handle(Handle&& other) noexcept : id_(other.id_), kind_(other.kind_) { other.id_ = -1; }
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  Id get() const noexcept { return id_; }
  HandleKind kind() const noexcept { return kind_; }
  explicit operator bool() const noexcept { return id_ >= 0; }
  /// Closes now; returns false when HDF5 reported an error while closing.
  bool reset() noexcept;
  /// Gives up ownership without closing.
  Id release() noexcept {
    const Id id = id_;
    id_ = -1;
    return id;
  }

 private:
  Id id_ = -1;
  HandleKind kind_ = HandleKind::PropertyList;
};

namespace detail {
struct FileState;
}

/// A group of an open file (the root group, or one reached from it). Move-only; keeps its file
/// open while it lives.
class Group {
 public:
  Group(Group&&) noexcept = default;
  Group& operator=(Group&& other) noexcept;
  ~Group();

  /// The file as shown in error messages.
  const std::string& source() const noexcept;
  /// This group's full HDF5 path ("/" for the root).
  const std::string& name() const noexcept { return name_; }
  /// The full HDF5 path of `path` taken relative to this group.
  std::string full_path(std::string_view path) const;

  // ---- structure -------------------------------------------------------------------------
  /// True when every link along `path` exists (false, never an error, for missing groups).
  bool has(std::string_view path) const;
  bool is_group(std::string_view path) const;
  bool is_dataset(std::string_view path) const;
  /// The member group at `path`; Error(file, path, "a group", "nothing" / "a dataset").
  Group group(std::string_view path) const;
  /// Names of the direct members, in name order.
  std::vector<std::string> children() const;
  /// Shape of the dataset at `path` (Error when it is not a dataset).
  Shape shape(std::string_view dataset_path) const;

  // ---- reading ---------------------------------------------------------------------------
  /// All values of a numeric dataset (integer, float, or h5py's enum bool) as T.
  template <Numeric T>
  Array<T> read(std::string_view dataset_path) const;
  /// Same, after checking the shape: Error(file, path, "shape [10, 128]", "shape [10, 64]").
  template <Numeric T>
  Array<T> read(std::string_view dataset_path, const Shape& expected) const;
  /// A scalar (or single-element) string dataset, variable- or fixed-length.
  std::string read_string(std::string_view dataset_path) const;
  /// A string dataset of any shape.
  Array<std::string> read_strings(std::string_view dataset_path) const;

  /// Attributes of `object_path` ("" or "." is this group). has_attr is false when the object or
  /// the attribute is missing.
  bool has_attr(std::string_view object_path, std::string_view name) const;
  std::string read_string_attr(std::string_view object_path, std::string_view name) const;
  /// A single number of any integer or float class.
  double read_double_attr(std::string_view object_path, std::string_view name) const;
  /// A single integral number (a float attribute must hold an integral value).
  std::int64_t read_int_attr(std::string_view object_path, std::string_view name) const;
  /// A numeric attribute of any shape.
  template <Numeric T>
  Array<T> read_array_attr(std::string_view object_path, std::string_view name) const;

  // ---- writing (files from AtomicH5Writer) -----------------------------------------------
  /// Creates a group (and missing intermediate groups); Error when `name` already exists.
  Group create_group(std::string_view name);
  /// Writes a new numeric dataset; `data.size()` must equal the shape's element count. With
  /// `gzip`, non-empty non-scalar data is chunked and deflate-compressed (level 4).
  template <Numeric T>
  void write(std::string_view name, std::span<const T> data, const Shape& shape, bool gzip = false);
  template <Numeric T>
  void write(std::string_view name, const std::vector<T>& data, const Shape& shape,
             bool gzip = false) {
    write<T>(name, std::span<const T>(data), shape, gzip);
  }
  /// A scalar variable-length UTF-8 string dataset.
  void write_string(std::string_view name, std::string_view value);
  /// A variable-length UTF-8 string dataset of the given shape (h5py.string_dtype()).
  void write_strings(std::string_view name, const std::vector<std::string>& values,
                     const Shape& shape);
  /// Scalar attributes on `object_path` ("" or "." is this group); an existing attribute of the
  /// same name is replaced. Strings are variable-length UTF-8.
  void write_attr(std::string_view object_path, std::string_view name, std::string_view value);
  void write_attr(std::string_view object_path, std::string_view name, const char* value) {
    write_attr(object_path, name, std::string_view(value));
  }
  template <std::floating_point F>
  void write_attr(std::string_view object_path, std::string_view name, F value) {
    write_double_attr(object_path, name, static_cast<double>(value));
  }
  template <std::integral I>
    requires(!std::same_as<I, bool>)
  void write_attr(std::string_view object_path, std::string_view name, I value) {
    if constexpr (std::is_unsigned_v<I> && sizeof(I) >= sizeof(std::int64_t)) {
      check_int_attr_range(object_path, name, static_cast<std::uint64_t>(value));
    }
    write_int_attr(object_path, name, static_cast<std::int64_t>(value));
  }
  /// A numeric array attribute, e.g. an int64 `torch_shape`.
  template <Numeric T>
  void write_array_attr(std::string_view object_path, std::string_view name,
                        std::span<const T> data, const Shape& shape);
  template <Numeric T>
  void write_array_attr(std::string_view object_path, std::string_view name,
                        const std::vector<T>& data, const Shape& shape) {
    write_array_attr<T>(object_path, name, std::span<const T>(data), shape);
  }

  /// The underlying group identifier (owned by this object).
  Id id() const noexcept { return handle_.get(); }

 protected:
  Group(std::shared_ptr<detail::FileState> state, Handle handle, std::string name);
  std::shared_ptr<detail::FileState> state_;

 private:
  friend class AtomicH5Writer;
  void write_double_attr(std::string_view object_path, std::string_view name, double value);
  void write_int_attr(std::string_view object_path, std::string_view name, std::int64_t value);
  void check_int_attr_range(std::string_view object_path, std::string_view name,
                            std::uint64_t value) const;

  Handle handle_;
  std::string name_;
};

/// An HDF5 file opened for reading; it is its own root group.
class File : public Group {
 public:
  /// Default limit on the bytes one read may allocate.
  static constexpr std::size_t default_max_bytes = std::size_t{4} << 30;

  /// Opens an existing file read-only. Error(path, "", "a readable HDF5 file", "no such file" /
  /// "a folder" / "a file that is not HDF5" / "an unreadable file" / "a damaged HDF5 file").
  static File open_read(const std::filesystem::path& path);

  const std::filesystem::path& path() const noexcept;
  /// This file's root group (the File itself; provided for readability).
  const Group& root() const noexcept { return *this; }

  /// A read whose element count times sizeof(T) exceeds this limit is an Error(file, path,
  /// "at most N bytes", "M bytes") raised before allocating. Applies to groups taken from this file.
  /// Starts at sim::memory_limit() (4 GiB unless --max-memory / SNNSIM_MAX_MEMORY say otherwise).
  std::size_t max_bytes() const noexcept;
  void set_max_bytes(std::size_t bytes) noexcept;

 private:
  using Group::Group;
};

/// Writes a new HDF5 file atomically: the file is built as `.<name>.tmp.<pid>.<counter>` in the
/// target's folder and renamed over the target by commit(); destroyed without commit(), the
/// temporary file is deleted and the target left untouched. Groups taken from root() must not be
/// used after commit().
class AtomicH5Writer {
 public:
  /// Error(target, "", "an existing folder", "no folder <dir>") when the folder is missing.
  explicit AtomicH5Writer(std::filesystem::path target);
  AtomicH5Writer(const AtomicH5Writer&) = delete;
  AtomicH5Writer& operator=(const AtomicH5Writer&) = delete;
  ~AtomicH5Writer();

  Group& root();
  /// Closes the file, fsyncs it and renames it over the target.
  void commit();

  const std::filesystem::path& target() const noexcept { return target_; }
  const std::filesystem::path& temp_path() const noexcept { return temp_; }

 private:
  void abandon() noexcept;

  std::filesystem::path target_;
  std::filesystem::path temp_;
  std::unique_ptr<Group> root_;
  bool done_ = false;
};

}  // namespace snnsim::h5
