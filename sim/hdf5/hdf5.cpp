// SPDX-License-Identifier: MIT
#include "sim/hdf5/hdf5.hpp"

#include <hdf5.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <string>
#include <system_error>
#include <utility>

#include "sim/atomic_file.hpp"
#include "sim/error.hpp"
#include "sim/memory_limit.hpp"

static_assert(std::is_same_v<hid_t, snnsim::h5::Id>, "snnsim::h5::Id must be hid_t");

namespace snnsim::h5 {
namespace fs = std::filesystem;

namespace detail {

/// What every group of one file shares: the file handle, its name for messages, the read limit.
struct FileState {
  Handle file;
  fs::path path;
  std::string source;
  std::size_t max_bytes = File::default_max_bytes;
  bool writable = false;
  /// Set once the file is closed: identifiers still held by groups are then invalid.
  bool closed = false;
};

}  // namespace detail

using detail::FileState;

// ---------------------------------------------------------------------------------------------
// Small helpers

std::string shape_str(const Shape& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::size_t element_count(const Shape& shape) {
  std::size_t n = 1;
  for (const std::size_t d : shape) {
    if (d == 0) return 0;
    if (n > std::numeric_limits<std::size_t>::max() / d) n = std::numeric_limits<std::size_t>::max();
    else n *= d;
  }
  return n;
}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = other.id_;
    kind_ = other.kind_;
    other.id_ = -1;
  }
  return *this;
}

bool Handle::reset() noexcept {
  if (id_ < 0) return true;
  herr_t status = 0;
  switch (kind_) {
    case HandleKind::File: status = H5Fclose(id_); break;
    case HandleKind::Group: status = H5Gclose(id_); break;
    case HandleKind::Dataset: status = H5Dclose(id_); break;
    case HandleKind::Dataspace: status = H5Sclose(id_); break;
    case HandleKind::Datatype: status = H5Tclose(id_); break;
    case HandleKind::Attribute: status = H5Aclose(id_); break;
    case HandleKind::PropertyList: status = H5Pclose(id_); break;
  }
  id_ = -1;
  return status >= 0;
}

namespace {

/// Errors reach the user only as snnsim::Error, never as HDF5's printed error stack.
void silence_hdf5_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

/// File access properties. Writing uses the strong close degree: closing the file closes every
/// object still open in it, so commit() always produces a complete file even while groups taken
/// from root() are alive. File locking is used where the file system supports it and skipped
/// (instead of failing the open) where it does not.
Handle file_access_plist(bool strong_close) {
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), HandleKind::PropertyList);
  if (!fapl) return Handle();
  if (strong_close) H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG);
#if H5_VERSION_GE(1, 10, 7)
  H5Pset_file_locking(fapl.get(), true, true);
#endif
  return fapl;
}

template <class T>
hid_t native_type() {
  if constexpr (std::is_same_v<T, float>) return H5T_NATIVE_FLOAT;
  else if constexpr (std::is_same_v<T, double>) return H5T_NATIVE_DOUBLE;
  else if constexpr (std::is_same_v<T, std::int64_t>) return H5T_NATIVE_INT64;
  else if constexpr (std::is_same_v<T, std::int32_t>) return H5T_NATIVE_INT32;
  else return H5T_NATIVE_UINT8;
}

/// Little-endian standard types in files, whatever the machine.
template <class T>
hid_t file_type() {
  if constexpr (std::is_same_v<T, float>) return H5T_IEEE_F32LE;
  else if constexpr (std::is_same_v<T, double>) return H5T_IEEE_F64LE;
  else if constexpr (std::is_same_v<T, std::int64_t>) return H5T_STD_I64LE;
  else if constexpr (std::is_same_v<T, std::int32_t>) return H5T_STD_I32LE;
  else return H5T_STD_U8LE;
}

template <class T>
const char* type_name() {
  if constexpr (std::is_same_v<T, float>) return "float32";
  else if constexpr (std::is_same_v<T, double>) return "float64";
  else if constexpr (std::is_same_v<T, std::int64_t>) return "int64";
  else if constexpr (std::is_same_v<T, std::int32_t>) return "int32";
  else return "uint8";
}

/// "an integer", "a string", ... for messages.
std::string class_desc(H5T_class_t cls) {
  switch (cls) {
    case H5T_INTEGER: return "an integer";
    case H5T_FLOAT: return "a float";
    case H5T_TIME: return "a time";
    case H5T_STRING: return "a string";
    case H5T_BITFIELD: return "a bitfield";
    case H5T_OPAQUE: return "an opaque";
    case H5T_COMPOUND: return "a compound";
    case H5T_REFERENCE: return "a reference";
    case H5T_ENUM: return "an enum";
    case H5T_VLEN: return "a variable-length sequence";
    case H5T_ARRAY: return "an array-typed";
    default: return "an unknown-type";
  }
}

std::string format_double(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

/// Runs a cleanup on scope exit (HDF5 resources that are not identifiers).
template <class F>
class ScopeExit {
 public:
  explicit ScopeExit(F f) : f_(std::move(f)) {}
  ScopeExit(const ScopeExit&) = delete;
  ScopeExit& operator=(const ScopeExit&) = delete;
  ~ScopeExit() { f_(); }

 private:
  F f_;
};

[[noreturn]] void fail(const FileState& st, std::string field, std::string expected,
                       std::string got) {
  throw Error(st.source, std::move(field), std::move(expected), std::move(got));
}

/// A path resolved against a group: where to start, the relative name to give HDF5, and the full
/// path for messages.
struct Target {
  hid_t loc = -1;
  std::vector<std::string> parts;
  std::string rel;   // parts joined with '/', "." when empty
  std::string full;  // absolute path inside the file
};

Target resolve(const FileState& st, hid_t group, const std::string& group_name,
               std::string_view path) {
  Target t;
  const bool absolute = !path.empty() && path.front() == '/';
  t.loc = absolute ? st.file.get() : group;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t next = path.find('/', pos);
    if (next == std::string_view::npos) next = path.size();
    const std::string_view part = path.substr(pos, next - pos);
    if (!part.empty() && part != ".") t.parts.emplace_back(part);
    pos = next + 1;
  }
  for (const std::string& p : t.parts) {
    if (!t.rel.empty()) t.rel += '/';
    t.rel += p;
  }
  if (t.rel.empty()) t.rel = ".";
  std::string base = absolute ? std::string() : (group_name == "/" ? std::string() : group_name);
  for (const std::string& p : t.parts) base += "/" + p;
  if (base.empty()) base = absolute ? "/" : group_name;
  t.full = base;
  return t;
}

/// Every link along the path exists (a missing or non-group intermediate gives false).
bool link_exists(const Target& t) {
  std::string prefix;
  for (const std::string& p : t.parts) {
    if (!prefix.empty()) prefix += '/';
    prefix += p;
    if (H5Lexists(t.loc, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
  }
  return true;
}

enum class Kind { Nothing, Group, Dataset, NamedType, Dangling };

std::string describe(Kind k) {
  switch (k) {
    case Kind::Nothing: return "nothing";
    case Kind::Group: return "a group";
    case Kind::Dataset: return "a dataset";
    case Kind::NamedType: return "a named datatype";
    case Kind::Dangling: return "a dangling link";
  }
  return "nothing";
}

Kind kind_of(const Target& t) {
  if (!link_exists(t)) return Kind::Nothing;
  const hid_t obj = H5Oopen(t.loc, t.rel.c_str(), H5P_DEFAULT);
  if (obj < 0) return Kind::Dangling;
  const H5I_type_t type = H5Iget_type(obj);
  H5Oclose(obj);
  switch (type) {
    case H5I_GROUP: return Kind::Group;
    case H5I_DATASET: return Kind::Dataset;
    case H5I_DATATYPE: return Kind::NamedType;
    default: return Kind::Dangling;
  }
}

Handle open_dataset(const FileState& st, const Target& t) {
  const Kind k = kind_of(t);
  if (k != Kind::Dataset) fail(st, t.full, "a dataset", describe(k));
  Handle ds(H5Dopen2(t.loc, t.rel.c_str(), H5P_DEFAULT), HandleKind::Dataset);
  if (!ds) fail(st, t.full, "a readable dataset", "an HDF5 error opening it");
  return ds;
}

/// Shape of a dataspace; a null dataspace (no elements, no shape) is an error.
Shape space_shape(const FileState& st, hid_t space, const std::string& where) {
  const H5S_class_t cls = H5Sget_simple_extent_type(space);
  if (cls == H5S_SCALAR) return {};
  if (cls == H5S_NULL) fail(st, where, "a scalar or an array", "an empty (null) dataspace");
  if (cls != H5S_SIMPLE) fail(st, where, "a readable dataspace", "an HDF5 error reading it");
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0) fail(st, where, "a readable dataspace", "an HDF5 error reading it");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space, dims.data(), nullptr) < 0) {
    fail(st, where, "a readable dataspace", "an HDF5 error reading it");
  }
  Shape shape;
  for (const hsize_t d : dims) {
    if (d > std::numeric_limits<std::size_t>::max()) {
      fail(st, where, "dimensions that fit in memory", "a dimension of " + std::to_string(d));
    }
    shape.push_back(static_cast<std::size_t>(d));
  }
  return shape;
}

Handle make_space(const Shape& shape) {
  if (shape.empty()) return Handle(H5Screate(H5S_SCALAR), HandleKind::Dataspace);
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  return Handle(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                HandleKind::Dataspace);
}

void check_bytes(const FileState& st, const std::string& where, std::size_t count,
                 std::size_t element_size) {
  const std::size_t limit = st.max_bytes;
  if (count > limit / element_size) {
    const std::size_t max = std::numeric_limits<std::size_t>::max();
    const std::string got = count > max / element_size
                                ? "more than " + std::to_string(max) + " bytes"
                                : std::to_string(count * element_size) + " bytes";
    fail(st, where, "at most " + std::to_string(limit) + " bytes", got);
  }
}

// ---- numeric conversion with range checks ----------------------------------------------------

struct ConvCheck {
  bool dst_integer = false;
  /// 4 or 8 when the source is the native float or double (its values can then be inspected).
  std::size_t src_float_size = 0;
  bool hit = false;
  H5T_conv_except_t first = H5T_CONV_EXCEPT_RANGE_HI;
};

/// Which native float type `type` is: 4 (float), 8 (double) or 0 (neither).
std::size_t native_float_size(hid_t type) {
  if (H5Tget_class(type) != H5T_FLOAT) return 0;
  if (H5Tequal(type, H5T_NATIVE_FLOAT) > 0) return 4;
  if (H5Tequal(type, H5T_NATIVE_DOUBLE) > 0) return 8;
  return 0;
}

/// Called by HDF5 for each value the conversion cannot represent exactly. Rounding an integer
/// into a float, and infinities/NaN between float types, are ordinary; everything else (clipping,
/// dropping a fraction) would be silently wrong data, so the conversion is aborted.
H5T_conv_ret_t conversion_exception(H5T_conv_except_t except, hid_t, hid_t, void* src_buf, void*,
                                    void* user) {
  auto* check = static_cast<ConvCheck*>(user);
  if (except == H5T_CONV_EXCEPT_PRECISION) return H5T_CONV_UNHANDLED;
  // HDF5 reports a NaN or infinite source as a range or truncation problem in some conversions;
  // look at the value itself when it is a native float.
  if (src_buf != nullptr && check->src_float_size != 0) {
    double v = 0;
    if (check->src_float_size == 4) {
      float f = 0;
      std::memcpy(&f, src_buf, sizeof f);
      v = f;
    } else {
      std::memcpy(&v, src_buf, sizeof v);
    }
    if (std::isnan(v)) except = H5T_CONV_EXCEPT_NAN;
    else if (std::isinf(v)) except = v > 0 ? H5T_CONV_EXCEPT_PINF : H5T_CONV_EXCEPT_NINF;
  }
  const bool special = except == H5T_CONV_EXCEPT_PINF || except == H5T_CONV_EXCEPT_NINF ||
                       except == H5T_CONV_EXCEPT_NAN;
  if (special && !check->dst_integer) return H5T_CONV_UNHANDLED;
  if (!check->hit) {
    check->hit = true;
    check->first = except;
  }
  return H5T_CONV_ABORT;
}

std::string conversion_problem(H5T_conv_except_t except) {
  switch (except) {
    case H5T_CONV_EXCEPT_RANGE_HI: return "a value above its range";
    case H5T_CONV_EXCEPT_RANGE_LOW: return "a value below its range";
    case H5T_CONV_EXCEPT_TRUNCATE: return "a fractional value";
    case H5T_CONV_EXCEPT_NAN: return "a NaN";
    case H5T_CONV_EXCEPT_PINF:
    case H5T_CONV_EXCEPT_NINF: return "an infinite value";
    default: return "a value it cannot hold";
  }
}

Handle checked_transfer(ConvCheck& check) {
  Handle xfer(H5Pcreate(H5P_DATASET_XFER), HandleKind::PropertyList);
  if (xfer) H5Pset_type_conv_cb(xfer.get(), conversion_exception, &check);
  return xfer;
}

/// An enum of two members with values 0 and 1 over an integer type: h5py's bool.
bool is_bool_enum(hid_t type) {
  if (H5Tget_nmembers(type) != 2) return false;
  Handle super(H5Tget_super(type), HandleKind::Datatype);
  if (!super || H5Tget_class(super.get()) != H5T_INTEGER) return false;
  const std::size_t size = H5Tget_size(super.get());
  if (size == 0 || size > 8) return false;
  long long values[2] = {-1, -1};
  for (unsigned i = 0; i < 2; ++i) {
    unsigned char buf[16] = {};
    if (H5Tget_member_value(type, i, buf) < 0) return false;
    if (H5Tconvert(super.get(), H5T_NATIVE_LLONG, 1, buf, nullptr, H5P_DEFAULT) < 0) return false;
    std::memcpy(&values[i], buf, sizeof(long long));
  }
  return std::min(values[0], values[1]) == 0 && std::max(values[0], values[1]) == 1;
}

/// Reads `count` numbers of a dataset or attribute as T, converted by HDF5 with range checks.
template <class T>
std::vector<T> read_numeric(const FileState& st, const std::string& where, hid_t obj,
                            bool is_attr, std::size_t count) {
  const char* what = is_attr ? " attribute" : " dataset";
  Handle ftype(is_attr ? H5Aget_type(obj) : H5Dget_type(obj), HandleKind::Datatype);
  if (!ftype) fail(st, where, std::string("a readable") + what, "an HDF5 error reading its type");
  const H5T_class_t cls = H5Tget_class(ftype.get());
  const bool is_enum = cls == H5T_ENUM;
  if (is_enum) {
    if (!is_bool_enum(ftype.get())) {
      fail(st, where, std::string("a numeric") + what, std::string("an enum") + what + " (not a bool)");
    }
  } else if (cls != H5T_INTEGER && cls != H5T_FLOAT) {
    fail(st, where, std::string("a numeric") + what, class_desc(cls) + what);
  }
  // HDF5 converts through a buffer of the file's value size, so a damaged type declaring huge
  // values (found by fuzz_lmuformer_raw: 2.3 GB for 16 floats) must be refused before reading.
  const std::size_t file_size = H5Tget_size(ftype.get());
  if (file_size == 0 || file_size > 8) {
    fail(st, where, std::string("a numeric") + what + " of at most 8 bytes per value",
         std::to_string(file_size) + "-byte values");
  }
  check_bytes(st, where, count, std::max(sizeof(T), file_size));
  std::vector<T> out(count);
  if (count == 0) return out;

  ConvCheck check;
  check.dst_integer = std::is_integral_v<T>;
  Handle xfer = checked_transfer(check);
  if (!xfer) fail(st, where, std::string("a readable") + what, "an HDF5 error");
  herr_t status = 0;
  if (!is_attr && !is_enum) {
    check.src_float_size = native_float_size(ftype.get());
    status = H5Dread(obj, native_type<T>(), H5S_ALL, H5S_ALL, xfer.get(), out.data());
  } else {
    // Attributes have no transfer property list, and HDF5 does not convert enums to integers:
    // read the stored form, then convert in memory with the checked conversion.
    Handle mem(H5Tget_native_type(ftype.get(), H5T_DIR_ASCEND), HandleKind::Datatype);
    if (!mem) fail(st, where, std::string("a readable") + what, "an HDF5 error reading its type");
    Handle src(is_enum ? H5Tget_super(mem.get()) : H5Tcopy(mem.get()), HandleKind::Datatype);
    const std::size_t element = std::max(H5Tget_size(mem.get()), sizeof(T));
    check_bytes(st, where, count, element);
    std::vector<unsigned char> buf(count * element);
    status = is_attr ? H5Aread(obj, mem.get(), buf.data())
                     : H5Dread(obj, mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data());
    check.src_float_size = native_float_size(src.get());
    if (status >= 0) {
      status = H5Tconvert(src.get(), native_type<T>(), count, buf.data(), nullptr, xfer.get());
    }
    if (status >= 0) std::memcpy(out.data(), buf.data(), count * sizeof(T));
  }
  if (status < 0) {
    if (check.hit) {
      fail(st, where, std::string("values representable as ") + type_name<T>(),
           conversion_problem(check.first));
    }
    fail(st, where, std::string("readable data"), "an HDF5 read error");
  }
  if (is_enum) {
    for (const T& v : out) {
      if (v != T(0) && v != T(1)) {
        fail(st, where, "bool values (0 or 1)", "the value " + format_double(static_cast<double>(v)));
      }
    }
  }
  return out;
}

/// Reads `count` strings (variable- or fixed-length, ASCII or UTF-8) of a dataset or attribute.
std::vector<std::string> read_string_values(const FileState& st, const std::string& where,
                                            hid_t obj, bool is_attr, std::size_t count) {
  const char* what = is_attr ? " attribute" : " dataset";
  Handle ftype(is_attr ? H5Aget_type(obj) : H5Dget_type(obj), HandleKind::Datatype);
  if (!ftype) fail(st, where, std::string("a readable") + what, "an HDF5 error reading its type");
  const H5T_class_t cls = H5Tget_class(ftype.get());
  if (cls != H5T_STRING) fail(st, where, std::string("a string") + what, class_desc(cls) + what);
  const H5T_cset_t cset = H5Tget_cset(ftype.get());
  std::vector<std::string> out;
  auto read_into = [&](hid_t mem, void* buf) {
    const herr_t status = is_attr ? H5Aread(obj, mem, buf)
                                  : H5Dread(obj, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
    if (status < 0) fail(st, where, "readable strings", "an HDF5 read error");
  };

  if (H5Tis_variable_str(ftype.get()) > 0) {
    check_bytes(st, where, count, sizeof(char*));
    Handle mem(H5Tcopy(H5T_C_S1), HandleKind::Datatype);
    H5Tset_size(mem.get(), H5T_VARIABLE);
    H5Tset_cset(mem.get(), cset);
    std::vector<char*> ptrs(count, nullptr);
    if (count == 0) return out;
    read_into(mem.get(), ptrs.data());
    Handle space(is_attr ? H5Aget_space(obj) : H5Dget_space(obj), HandleKind::Dataspace);
    const ScopeExit reclaim([&] {
#if H5_VERSION_GE(1, 12, 0)
      H5Treclaim(mem.get(), space.get(), H5P_DEFAULT, ptrs.data());
#else
      H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, ptrs.data());
#endif
    });
    out.reserve(count);
    for (const char* p : ptrs) out.emplace_back(p ? p : "");
    return out;
  }

  const std::size_t size = H5Tget_size(ftype.get());
  if (size == 0) fail(st, where, std::string("a string") + what, "a zero-length string type");
  check_bytes(st, where, count, size);
  const H5T_str_t pad = H5Tget_strpad(ftype.get());
  Handle mem(H5Tcopy(H5T_C_S1), HandleKind::Datatype);
  H5Tset_size(mem.get(), size);
  H5Tset_cset(mem.get(), cset);
  H5Tset_strpad(mem.get(), pad);
  std::vector<char> buf(count * size);
  if (count == 0) return out;
  read_into(mem.get(), buf.data());
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    std::string_view s(buf.data() + i * size, size);
    if (pad == H5T_STR_SPACEPAD) {
      const std::size_t end = s.find_last_not_of(' ');
      s = end == std::string_view::npos ? std::string_view() : s.substr(0, end + 1);
    } else {
      s = s.substr(0, std::min(s.find('\0'), s.size()));
    }
    out.emplace_back(s);
  }
  return out;
}

Handle vlen_utf8_type() {
  Handle t(H5Tcopy(H5T_C_S1), HandleKind::Datatype);
  H5Tset_size(t.get(), H5T_VARIABLE);
  H5Tset_cset(t.get(), H5T_CSET_UTF8);
  return t;
}

/// Link creation: UTF-8 names (as h5py writes them), intermediate groups created.
Handle link_create_plist() {
  Handle p(H5Pcreate(H5P_LINK_CREATE), HandleKind::PropertyList);
  H5Pset_create_intermediate_group(p.get(), 1);
  H5Pset_char_encoding(p.get(), H5T_CSET_UTF8);
  return p;
}

/// Variable-length C strings end at the first NUL, so a value containing one would be cut.
void check_no_nul(const FileState& st, const std::string& where, std::string_view value) {
  const std::size_t nul = value.find('\0');
  if (nul != std::string_view::npos) {
    fail(st, where, "a string without NUL characters", "a NUL at offset " + std::to_string(nul));
  }
}

std::string attr_where(const Target& obj, std::string_view name) {
  return obj.full + "@" + std::string(name);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Group

Group::Group(std::shared_ptr<detail::FileState> state, Handle handle, std::string name)
    : state_(std::move(state)), handle_(std::move(handle)), name_(std::move(name)) {}

Group::~Group() {
  // After the file was closed (strong close degree) this identifier is no longer valid.
  if (state_ && state_->closed) handle_.release();
}

Group& Group::operator=(Group&& other) noexcept {
  if (this != &other) {
    if (state_ && state_->closed) handle_.release();
    handle_ = std::move(other.handle_);
    state_ = std::move(other.state_);
    name_ = std::move(other.name_);
  }
  return *this;
}

const std::string& Group::source() const noexcept {
  static const std::string none;
  return state_ ? state_->source : none;
}

namespace {

const FileState& open_state(const std::shared_ptr<FileState>& st, const std::string& name) {
  if (!st) throw Error("(no file)", name, "an open HDF5 group", "a moved-from group");
  if (st->closed) throw Error(st->source, name, "an open HDF5 file", "a closed file");
  return *st;
}

const FileState& writable_state(const std::shared_ptr<FileState>& st, const std::string& where) {
  const FileState& s = open_state(st, where);
  if (!s.writable) fail(s, where, "a file opened for writing", "a read-only file");
  return s;
}

/// Checks that `t` names nothing yet, and that no dataset stands in its way.
void check_new_name(const FileState& st, const Target& t) {
  if (t.parts.empty()) fail(st, t.full, "a new name", "the group itself");
  // t.full is "<base>/<rel>"; the full path of each prefix is "<base>/<prefix>".
  const std::string base = t.full.substr(0, t.full.size() - t.rel.size() - 1);
  Target step;
  step.loc = t.loc;
  for (std::size_t i = 0; i < t.parts.size(); ++i) {
    step.parts.push_back(t.parts[i]);
    step.rel = step.parts.size() == 1 ? t.parts[i] : step.rel + "/" + t.parts[i];
    const Kind k = kind_of(step);
    if (k == Kind::Nothing) return;
    if (i + 1 == t.parts.size()) {
      const std::string d = describe(k);
      fail(st, t.full, "a new name", "an existing " + d.substr(d.find(' ') + 1));
    }
    if (k != Kind::Group) {
      fail(st, t.full, "a path through groups", describe(k) + " at " + base + "/" + step.rel);
    }
  }
}

}  // namespace

std::string Group::full_path(std::string_view path) const {
  const FileState& st = open_state(state_, name_);
  return resolve(st, handle_.get(), name_, path).full;
}

bool Group::has(std::string_view path) const {
  const FileState& st = open_state(state_, name_);
  return link_exists(resolve(st, handle_.get(), name_, path));
}

bool Group::is_group(std::string_view path) const {
  const FileState& st = open_state(state_, name_);
  return kind_of(resolve(st, handle_.get(), name_, path)) == Kind::Group;
}

bool Group::is_dataset(std::string_view path) const {
  const FileState& st = open_state(state_, name_);
  return kind_of(resolve(st, handle_.get(), name_, path)) == Kind::Dataset;
}

Group Group::group(std::string_view path) const {
  const FileState& st = open_state(state_, name_);
  const Target t = resolve(st, handle_.get(), name_, path);
  const Kind k = kind_of(t);
  if (k != Kind::Group) fail(st, t.full, "a group", describe(k));
  Handle g(H5Gopen2(t.loc, t.rel.c_str(), H5P_DEFAULT), HandleKind::Group);
  if (!g) fail(st, t.full, "a readable group", "an HDF5 error opening it");
  return Group(state_, std::move(g), t.full);
}

namespace {

struct ChildList {
  std::vector<std::string> names;
  std::exception_ptr error;
};

herr_t collect_child(hid_t, const char* name, const H5L_info_t*, void* data) {
  auto* list = static_cast<ChildList*>(data);
  try {
    list->names.emplace_back(name);
    return 0;
  } catch (...) {
    list->error = std::current_exception();
    return -1;
  }
}

}  // namespace

std::vector<std::string> Group::children() const {
  const FileState& st = open_state(state_, name_);
  ChildList list;
  const herr_t status =
      H5Literate(handle_.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_child, &list);
  if (list.error) std::rethrow_exception(list.error);
  if (status < 0) fail(st, name_, "a readable group", "an HDF5 error listing its members");
  return std::move(list.names);
}

Shape Group::shape(std::string_view dataset_path) const {
  const FileState& st = open_state(state_, name_);
  const Target t = resolve(st, handle_.get(), name_, dataset_path);
  const Handle ds = open_dataset(st, t);
  const Handle space(H5Dget_space(ds.get()), HandleKind::Dataspace);
  if (!space) fail(st, t.full, "a readable dataspace", "an HDF5 error reading it");
  return space_shape(st, space.get(), t.full);
}

template <Numeric T>
Array<T> Group::read(std::string_view dataset_path) const {
  const FileState& st = open_state(state_, name_);
  const Target t = resolve(st, handle_.get(), name_, dataset_path);
  const Handle ds = open_dataset(st, t);
  const Handle space(H5Dget_space(ds.get()), HandleKind::Dataspace);
  if (!space) fail(st, t.full, "a readable dataspace", "an HDF5 error reading it");
  Array<T> out;
  out.shape = space_shape(st, space.get(), t.full);
  out.data = read_numeric<T>(st, t.full, ds.get(), false, element_count(out.shape));
  return out;
}

template <Numeric T>
Array<T> Group::read(std::string_view dataset_path, const Shape& expected) const {
  const Shape actual = shape(dataset_path);
  if (actual != expected) {
    fail(*state_, full_path(dataset_path), "shape " + shape_str(expected), "shape " + shape_str(actual));
  }
  return read<T>(dataset_path);
}

std::string Group::read_string(std::string_view dataset_path) const {
  const FileState& st = open_state(state_, name_);
  const Target t = resolve(st, handle_.get(), name_, dataset_path);
  const Handle ds = open_dataset(st, t);
  const Handle space(H5Dget_space(ds.get()), HandleKind::Dataspace);
  const Shape sh = space_shape(st, space.get(), t.full);
  if (element_count(sh) != 1) {
    read_string_values(st, t.full, ds.get(), false, 0);  // a non-string is reported as such
    fail(st, t.full, "a single string", "shape " + shape_str(sh));
  }
  return read_string_values(st, t.full, ds.get(), false, 1).front();
}

Array<std::string> Group::read_strings(std::string_view dataset_path) const {
  const FileState& st = open_state(state_, name_);
  const Target t = resolve(st, handle_.get(), name_, dataset_path);
  const Handle ds = open_dataset(st, t);
  const Handle space(H5Dget_space(ds.get()), HandleKind::Dataspace);
  Array<std::string> out;
  out.shape = space_shape(st, space.get(), t.full);
  out.data = read_string_values(st, t.full, ds.get(), false, element_count(out.shape));
  return out;
}

// ---- attributes -------------------------------------------------------------------------------

namespace {

/// Opens attribute `name` of the object at `obj`; Error naming `/path@name` when missing.
Handle open_attr(const FileState& st, const Target& obj, std::string_view name) {
  const std::string where = attr_where(obj, name);
  const Kind k = kind_of(obj);
  if (k == Kind::Nothing || k == Kind::Dangling) {
    fail(st, where, "an attribute", "no object " + obj.full);
  }
  const std::string attr(name);
  if (H5Aexists_by_name(obj.loc, obj.rel.c_str(), attr.c_str(), H5P_DEFAULT) <= 0) {
    fail(st, where, "an attribute", "nothing");
  }
  Handle a(H5Aopen_by_name(obj.loc, obj.rel.c_str(), attr.c_str(), H5P_DEFAULT, H5P_DEFAULT),
           HandleKind::Attribute);
  if (!a) fail(st, where, "a readable attribute", "an HDF5 error opening it");
  return a;
}

Shape attr_shape(const FileState& st, hid_t attr, const std::string& where) {
  const Handle space(H5Aget_space(attr), HandleKind::Dataspace);
  if (!space) fail(st, where, "a readable dataspace", "an HDF5 error reading it");
  return space_shape(st, space.get(), where);
}

}  // namespace

bool Group::has_attr(std::string_view object_path, std::string_view name) const {
  const FileState& st = open_state(state_, name_);
  const Target obj = resolve(st, handle_.get(), name_, object_path);
  const Kind k = kind_of(obj);
  if (k == Kind::Nothing || k == Kind::Dangling) return false;
  const std::string attr(name);
  return H5Aexists_by_name(obj.loc, obj.rel.c_str(), attr.c_str(), H5P_DEFAULT) > 0;
}

std::string Group::read_string_attr(std::string_view object_path, std::string_view name) const {
  const FileState& st = open_state(state_, name_);
  const Target obj = resolve(st, handle_.get(), name_, object_path);
  const std::string where = attr_where(obj, name);
  const Handle a = open_attr(st, obj, name);
  const Shape sh = attr_shape(st, a.get(), where);
  if (element_count(sh) != 1) {
    // Say first what kind of attribute it is when it is not a string at all.
    read_string_values(st, where, a.get(), true, 0);
    fail(st, where, "a single string", "shape " + shape_str(sh));
  }
  return read_string_values(st, where, a.get(), true, 1).front();
}

double Group::read_double_attr(std::string_view object_path, std::string_view name) const {
  const FileState& st = open_state(state_, name_);
  const Target obj = resolve(st, handle_.get(), name_, object_path);
  const std::string where = attr_where(obj, name);
  const Handle a = open_attr(st, obj, name);
  const Shape sh = attr_shape(st, a.get(), where);
  const std::size_t n = element_count(sh);
  std::vector<double> v = read_numeric<double>(st, where, a.get(), true, n == 1 ? 1 : 0);
  if (n != 1) fail(st, where, "a single number", "shape " + shape_str(sh));
  return v.front();
}

std::int64_t Group::read_int_attr(std::string_view object_path, std::string_view name) const {
  const FileState& st = open_state(state_, name_);
  const Target obj = resolve(st, handle_.get(), name_, object_path);
  const std::string where = attr_where(obj, name);
  const Handle a = open_attr(st, obj, name);
  const Shape sh = attr_shape(st, a.get(), where);
  const std::size_t n = element_count(sh);
  const Handle type(H5Aget_type(a.get()), HandleKind::Datatype);
  if (type && H5Tget_class(type.get()) == H5T_FLOAT) {
    std::vector<double> v = read_numeric<double>(st, where, a.get(), true, n == 1 ? 1 : 0);
    if (n != 1) fail(st, where, "a single integer", "shape " + shape_str(sh));
    const double x = v.front();
    // 2^63 is exactly representable; every integral double in [-2^63, 2^63) fits in int64.
    if (!(std::isfinite(x) && std::trunc(x) == x && x >= -9223372036854775808.0 &&
          x < 9223372036854775808.0)) {
      fail(st, where, "an integer", format_double(x));
    }
    return static_cast<std::int64_t>(x);
  }
  std::vector<std::int64_t> v = read_numeric<std::int64_t>(st, where, a.get(), true, n == 1 ? 1 : 0);
  if (n != 1) fail(st, where, "a single integer", "shape " + shape_str(sh));
  return v.front();
}

template <Numeric T>
Array<T> Group::read_array_attr(std::string_view object_path, std::string_view name) const {
  const FileState& st = open_state(state_, name_);
  const Target obj = resolve(st, handle_.get(), name_, object_path);
  const std::string where = attr_where(obj, name);
  const Handle a = open_attr(st, obj, name);
  Array<T> out;
  out.shape = attr_shape(st, a.get(), where);
  out.data = read_numeric<T>(st, where, a.get(), true, element_count(out.shape));
  return out;
}

// ---- writing ----------------------------------------------------------------------------------

Group Group::create_group(std::string_view name) {
  const FileState& st = writable_state(state_, full_path(name));
  const Target t = resolve(st, handle_.get(), name_, name);
  check_new_name(st, t);
  const Handle lcpl = link_create_plist();
  Handle g(H5Gcreate2(t.loc, t.rel.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT),
           HandleKind::Group);
  if (!g) fail(st, t.full, "a new group", "an HDF5 error creating it");
  return Group(state_, std::move(g), t.full);
}

namespace {

/// Writes a new dataset from `buf` (already checked against the shape).
void create_dataset(const FileState& st, const Target& t, hid_t ftype, hid_t mtype,
                    const Shape& shape, const void* buf, std::size_t count,
                    std::size_t element_size, bool gzip) {
  check_new_name(st, t);
  if (shape.size() > H5S_MAX_RANK) {
    fail(st, t.full, "at most " + std::to_string(H5S_MAX_RANK) + " dimensions",
         std::to_string(shape.size()) + " dimensions");
  }
  const Handle space = make_space(shape);
  const Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), HandleKind::PropertyList);
  if (!space || !dcpl) fail(st, t.full, "a new dataset", "an HDF5 error preparing it");
  if (gzip && count > 0 && !shape.empty()) {
    if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0) {
      fail(st, t.full, "an HDF5 library with gzip", "no deflate filter");
    }
    // Chunks of at most about 1 MiB, halving the slowest dimensions first.
    std::vector<hsize_t> chunk(shape.begin(), shape.end());
    constexpr std::size_t target_bytes = std::size_t{1} << 20;
    auto bytes = [&] {
      std::size_t n = element_size;
      for (const hsize_t c : chunk) n *= static_cast<std::size_t>(c);
      return n;
    };
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      while (chunk[i] > 1 && bytes() > target_bytes) chunk[i] = (chunk[i] + 1) / 2;
    }
    if (H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()) < 0 ||
        H5Pset_deflate(dcpl.get(), 4) < 0) {
      fail(st, t.full, "a new dataset", "an HDF5 error setting up gzip");
    }
  }
  const Handle lcpl = link_create_plist();
  const Handle ds(H5Dcreate2(t.loc, t.rel.c_str(), ftype, space.get(), lcpl.get(), dcpl.get(),
                             H5P_DEFAULT),
                  HandleKind::Dataset);
  if (!ds) fail(st, t.full, "a new dataset", "an HDF5 error creating it");
  if (count > 0 && H5Dwrite(ds.get(), mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
    fail(st, t.full, "a written dataset", "an HDF5 write error");
  }
}

void check_count(const FileState& st, const std::string& where, const Shape& shape,
                 std::size_t count) {
  const std::size_t expected = element_count(shape);
  if (expected != count) {
    fail(st, where, std::to_string(expected) + " values for shape " + shape_str(shape),
         std::to_string(count) + " values");
  }
}

/// Creates (or replaces) attribute `name` on the object at `obj`.
void put_attr(const FileState& st, const Target& obj, std::string_view name, hid_t ftype,
              hid_t mtype, const Shape& shape, const void* buf) {
  const std::string where = attr_where(obj, name);
  const Kind k = kind_of(obj);
  if (k != Kind::Group && k != Kind::Dataset && k != Kind::NamedType) {
    fail(st, where, "an existing object to attach it to", describe(k));
  }
  const std::string attr(name);
  if (attr.empty()) fail(st, where, "an attribute name", "an empty name");
  if (H5Aexists_by_name(obj.loc, obj.rel.c_str(), attr.c_str(), H5P_DEFAULT) > 0 &&
      H5Adelete_by_name(obj.loc, obj.rel.c_str(), attr.c_str(), H5P_DEFAULT) < 0) {
    fail(st, where, "a replaceable attribute", "an HDF5 error deleting the old one");
  }
  const Handle space = make_space(shape);
  const Handle acpl(H5Pcreate(H5P_ATTRIBUTE_CREATE), HandleKind::PropertyList);
  H5Pset_char_encoding(acpl.get(), H5T_CSET_UTF8);
  const Handle a(H5Acreate_by_name(obj.loc, obj.rel.c_str(), attr.c_str(), ftype, space.get(),
                                   acpl.get(), H5P_DEFAULT, H5P_DEFAULT),
                 HandleKind::Attribute);
  if (!a) fail(st, where, "an attribute HDF5 can store (at most 64 KiB)", "an HDF5 error creating it");
  if (H5Awrite(a.get(), mtype, buf) < 0) fail(st, where, "a written attribute", "an HDF5 write error");
}

}  // namespace

template <Numeric T>
void Group::write(std::string_view name, std::span<const T> data, const Shape& shape, bool gzip) {
  const FileState& st = writable_state(state_, full_path(name));
  const Target t = resolve(st, handle_.get(), name_, name);
  check_count(st, t.full, shape, data.size());
  create_dataset(st, t, file_type<T>(), native_type<T>(), shape, data.data(), data.size(),
                 sizeof(T), gzip);
}

void Group::write_string(std::string_view name, std::string_view value) {
  const FileState& st = writable_state(state_, full_path(name));
  const Target t = resolve(st, handle_.get(), name_, name);
  check_no_nul(st, t.full, value);
  const std::string copy(value);
  const char* ptr = copy.c_str();
  const Handle type = vlen_utf8_type();
  create_dataset(st, t, type.get(), type.get(), {}, &ptr, 1, sizeof(char*), false);
}

void Group::write_strings(std::string_view name, const std::vector<std::string>& values,
                          const Shape& shape) {
  const FileState& st = writable_state(state_, full_path(name));
  const Target t = resolve(st, handle_.get(), name_, name);
  check_count(st, t.full, shape, values.size());
  std::vector<const char*> ptrs;
  ptrs.reserve(values.size());
  for (const std::string& v : values) {
    check_no_nul(st, t.full, v);
    ptrs.push_back(v.c_str());
  }
  const Handle type = vlen_utf8_type();
  create_dataset(st, t, type.get(), type.get(), shape, ptrs.data(), ptrs.size(), sizeof(char*),
                 false);
}

void Group::write_attr(std::string_view object_path, std::string_view name,
                       std::string_view value) {
  const FileState& st = writable_state(state_, full_path(object_path));
  const Target obj = resolve(st, handle_.get(), name_, object_path);
  check_no_nul(st, attr_where(obj, name), value);
  const std::string copy(value);
  const char* ptr = copy.c_str();
  const Handle type = vlen_utf8_type();
  put_attr(st, obj, name, type.get(), type.get(), {}, &ptr);
}

void Group::write_double_attr(std::string_view object_path, std::string_view name, double value) {
  const FileState& st = writable_state(state_, full_path(object_path));
  const Target obj = resolve(st, handle_.get(), name_, object_path);
  put_attr(st, obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {}, &value);
}

void Group::write_int_attr(std::string_view object_path, std::string_view name,
                           std::int64_t value) {
  const FileState& st = writable_state(state_, full_path(object_path));
  const Target obj = resolve(st, handle_.get(), name_, object_path);
  put_attr(st, obj, name, H5T_STD_I64LE, H5T_NATIVE_INT64, {}, &value);
}

void Group::check_int_attr_range(std::string_view object_path, std::string_view name,
                                 std::uint64_t value) const {
  if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    const FileState& st = open_state(state_, name_);
    const Target obj = resolve(st, handle_.get(), name_, object_path);
    fail(st, attr_where(obj, name), "an integer up to 9223372036854775807", std::to_string(value));
  }
}

template <Numeric T>
void Group::write_array_attr(std::string_view object_path, std::string_view name,
                             std::span<const T> data, const Shape& shape) {
  const FileState& st = writable_state(state_, full_path(object_path));
  const Target obj = resolve(st, handle_.get(), name_, object_path);
  check_count(st, attr_where(obj, name), shape, data.size());
  if (data.empty()) {
    // HDF5 accepts no buffer for an empty attribute, but a null pointer is rejected.
    const T dummy{};
    put_attr(st, obj, name, file_type<T>(), native_type<T>(), shape, &dummy);
    return;
  }
  put_attr(st, obj, name, file_type<T>(), native_type<T>(), shape, data.data());
}

#define SNNSIM_H5_INSTANTIATE(T)                                                               \
  template Array<T> Group::read<T>(std::string_view) const;                                    \
  template Array<T> Group::read<T>(std::string_view, const Shape&) const;                      \
  template Array<T> Group::read_array_attr<T>(std::string_view, std::string_view) const;       \
  template void Group::write<T>(std::string_view, std::span<const T>, const Shape&, bool);     \
  template void Group::write_array_attr<T>(std::string_view, std::string_view,                 \
                                           std::span<const T>, const Shape&);
SNNSIM_H5_INSTANTIATE(float)
SNNSIM_H5_INSTANTIATE(double)
SNNSIM_H5_INSTANTIATE(std::int64_t)
SNNSIM_H5_INSTANTIATE(std::int32_t)
SNNSIM_H5_INSTANTIATE(std::uint8_t)
#undef SNNSIM_H5_INSTANTIATE

// ---------------------------------------------------------------------------------------------
// File

File File::open_read(const fs::path& path) {
  silence_hdf5_errors();
  const std::string source = path.string();
  auto bad = [&](const char* got) { return Error(source, "", "a readable HDF5 file", got); };
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) throw bad("no such file");
  if (ec) throw bad("an unreadable file");
  if (status.type() == fs::file_type::directory) throw bad("a folder");
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
  if (is_hdf5 == 0) throw bad("a file that is not HDF5");
  if (is_hdf5 < 0) throw bad("an unreadable file");
  const Handle fapl = file_access_plist(false);
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get()), HandleKind::File);
  if (!file) throw bad("a truncated or damaged HDF5 file");
  Handle root(H5Gopen2(file.get(), "/", H5P_DEFAULT), HandleKind::Group);
  if (!root) throw bad("a truncated or damaged HDF5 file");
  auto state = std::make_shared<FileState>();
  state->file = std::move(file);
  state->path = path;
  state->source = source;
  state->max_bytes = sim::memory_limit();  // --max-memory / SNNSIM_MAX_MEMORY
  return File(std::move(state), std::move(root), "/");
}

const fs::path& File::path() const noexcept {
  static const fs::path none;
  return state_ ? state_->path : none;
}
std::size_t File::max_bytes() const noexcept { return state_ ? state_->max_bytes : 0; }
void File::set_max_bytes(std::size_t bytes) noexcept {
  if (state_) state_->max_bytes = bytes;
}

// ---------------------------------------------------------------------------------------------
// AtomicH5Writer

AtomicH5Writer::AtomicH5Writer(fs::path target)
    : target_(std::move(target)), temp_(atomic_detail::reserve_temp_file(target_)) {
  silence_hdf5_errors();
  const std::string source = target_.string();
  const Handle fapl = file_access_plist(true);
  Handle file(H5Fcreate(temp_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()), HandleKind::File);
  Handle root = file ? Handle(H5Gopen2(file.get(), "/", H5P_DEFAULT), HandleKind::Group) : Handle();
  if (!file || !root) {
    root.reset();
    file.reset();
    std::error_code ec;
    fs::remove(temp_, ec);
    throw Error(source, "", "a writable HDF5 file", "an HDF5 error creating " + temp_.string());
  }
  auto state = std::make_shared<FileState>();
  state->file = std::move(file);
  state->path = target_;
  state->source = source;
  state->writable = true;
  root_.reset(new Group(std::move(state), std::move(root), "/"));
}

AtomicH5Writer::~AtomicH5Writer() {
  if (!done_) abandon();
}

void AtomicH5Writer::abandon() noexcept {
  done_ = true;
  if (root_ && root_->state_ && !root_->state_->closed) {
    root_->handle_.reset();
    root_->state_->file.reset();
    root_->state_->closed = true;
  }
  std::error_code ec;
  fs::remove(temp_, ec);
}

Group& AtomicH5Writer::root() {
  if (done_) throw Error(target_.string(), "", "an uncommitted HDF5 writer", "a finished one");
  return *root_;
}

void AtomicH5Writer::commit() {
  if (done_) throw Error(target_.string(), "", "one commit", "a second commit");
  FileState& st = *root_->state_;
  const bool flushed = H5Fflush(st.file.get(), H5F_SCOPE_GLOBAL) >= 0;
  root_->handle_.reset();
  const bool closed = st.file.reset();
  st.closed = true;
  if (!flushed || !closed) {
    abandon();
    throw Error(target_.string(), "", "a complete HDF5 file",
                "an HDF5 error closing " + temp_.string());
  }
  done_ = true;
  atomic_detail::publish_temp_file(temp_, target_);
}

}  // namespace snnsim::h5
