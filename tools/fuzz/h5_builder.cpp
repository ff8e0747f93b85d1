// SPDX-License-Identifier: MIT
#include "tools/fuzz/h5_builder.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "sim/hdf5/hdf5.hpp"

namespace snnsim::fuzz {

namespace {

using h5::Handle;
using h5::HandleKind;

constexpr std::size_t kMaxRank = 3;
constexpr std::uint8_t kNullRank = 4;

/// Reads the fuzz input front to back; past the end every read gives zeros.
class Cursor {
 public:
  explicit Cursor(std::span<const std::uint8_t> in) : in_(in) {}
  bool done() const noexcept { return pos_ >= in_.size(); }
  std::uint8_t u8() noexcept { return done() ? 0 : in_[pos_++]; }
  std::uint64_t varint() noexcept {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const std::uint8_t b = u8();
      v |= std::uint64_t{b & 0x7fu} << shift;
      if (!(b & 0x80u)) break;
    }
    return v;
  }
  /// Up to `n` bytes (fewer at the end of the input).
  std::span<const std::uint8_t> bytes(std::uint64_t n) noexcept {
    const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(n, in_.size() - std::min(pos_, in_.size())));
    const auto s = in_.subspan(std::min(pos_, in_.size()), take);
    pos_ += take;
    return s;
  }
  std::string str() {
    const auto b = bytes(varint());
    return std::string(b.begin(), b.end());
  }

 private:
  std::span<const std::uint8_t> in_;
  std::size_t pos_ = 0;
};

/// Writes the encoding.
class Writer {
 public:
  void u8(std::uint8_t b) { out_.push_back(b); }
  void varint(std::uint64_t v) {
    do {
      std::uint8_t b = v & 0x7fu;
      v >>= 7;
      if (v) b |= 0x80u;
      out_.push_back(b);
    } while (v);
  }
  void bytes(const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    out_.insert(out_.end(), b, b + n);
  }
  void str(const std::string& s) {
    varint(s.size());
    bytes(s.data(), s.size());
  }
  std::size_t size() const noexcept { return out_.size(); }
  /// Drops what was written after size() was `n` (a record that turned out inexpressible).
  void truncate(std::size_t n) { out_.resize(n); }
  std::vector<std::uint8_t> take() { return std::move(out_); }

 private:
  std::vector<std::uint8_t> out_;
};

struct TypeSpec {
  DType code = DType::F32;
  std::size_t fixed_size = 1;  ///< FixedString only
};

Handle type_handle(const TypeSpec& t) {
  auto copy = [](hid_t base) { return Handle(H5Tcopy(base), HandleKind::Datatype); };
  switch (t.code) {
    case DType::F32: return copy(H5T_IEEE_F32LE);
    case DType::F64: return copy(H5T_IEEE_F64LE);
    case DType::I8: return copy(H5T_STD_I8LE);
    case DType::I16: return copy(H5T_STD_I16LE);
    case DType::I32: return copy(H5T_STD_I32LE);
    case DType::I64: return copy(H5T_STD_I64LE);
    case DType::U8: return copy(H5T_STD_U8LE);
    case DType::U16: return copy(H5T_STD_U16LE);
    case DType::U32: return copy(H5T_STD_U32LE);
    case DType::U64: return copy(H5T_STD_U64LE);
    case DType::F32BigEndian: return copy(H5T_IEEE_F32BE);
    case DType::VarString: {
      Handle s = copy(H5T_C_S1);
      H5Tset_size(s.get(), H5T_VARIABLE);
      H5Tset_cset(s.get(), H5T_CSET_UTF8);
      return s;
    }
    case DType::FixedString: {
      Handle s = copy(H5T_C_S1);
      H5Tset_size(s.get(), t.fixed_size);
      H5Tset_strpad(s.get(), H5T_STR_NULLPAD);
      return s;
    }
    case DType::BoolEnum:
    case DType::Enum3: {
      Handle e(H5Tenum_create(H5T_STD_I8LE), HandleKind::Datatype);
      const char* names[] = {"FALSE", "TRUE", "MAYBE"};
      const int members = t.code == DType::BoolEnum ? 2 : 3;
      for (signed char v = 0; v < members; ++v) H5Tenum_insert(e.get(), names[v], &v);
      return e;
    }
    case DType::Compound: {
      Handle c(H5Tcreate(H5T_COMPOUND, 12), HandleKind::Datatype);
      H5Tinsert(c.get(), "a", 0, H5T_IEEE_F64LE);
      H5Tinsert(c.get(), "b", 8, H5T_STD_I32LE);
      return c;
    }
    case DType::Opaque: {
      Handle o(H5Tcreate(H5T_OPAQUE, 4), HandleKind::Datatype);
      H5Tset_tag(o.get(), "fuzz");
      return o;
    }
    case DType::VlenInt: return Handle(H5Tvlen_create(H5T_STD_I32LE), HandleKind::Datatype);
    case DType::ArrayF32: {
      const hsize_t two = 2;
      return Handle(H5Tarray_create2(H5T_IEEE_F32LE, 1, &two), HandleKind::Datatype);
    }
    case DType::Count: break;
  }
  return Handle();
}

TypeSpec read_type(Cursor& in) {
  TypeSpec t;
  t.code = static_cast<DType>(in.u8() % static_cast<std::uint8_t>(DType::Count));
  if (t.code == DType::FixedString) t.fixed_size = std::max<std::size_t>(1, in.u8());
  return t;
}

struct SpaceSpec {
  bool null = false;
  std::vector<hsize_t> dims;  ///< empty: scalar
};

SpaceSpec read_space(Cursor& in) {
  SpaceSpec s;
  const std::uint8_t rank = in.u8() % (kNullRank + 1);
  if (rank == kNullRank) {
    s.null = true;
    return s;
  }
  for (std::uint8_t i = 0; i < rank; ++i) s.dims.push_back(in.varint() & ((std::uint64_t{1} << 62) - 1));
  return s;
}

Handle space_handle(const SpaceSpec& s) {
  if (s.null) return Handle(H5Screate(H5S_NULL), HandleKind::Dataspace);
  if (s.dims.empty()) return Handle(H5Screate(H5S_SCALAR), HandleKind::Dataspace);
  return Handle(H5Screate_simple(static_cast<int>(s.dims.size()), s.dims.data(), nullptr), HandleKind::Dataspace);
}

/// Elements of the space, or SIZE_MAX when above kMaxWritten (then nothing is written).
std::size_t writable_count(const SpaceSpec& s) {
  if (s.null) return 0;
  std::size_t n = 1;
  for (const hsize_t d : s.dims) {
    if (d == 0) return 0;
    if (d > kMaxWritten || n * d > kMaxWritten) return SIZE_MAX;
    n *= static_cast<std::size_t>(d);
  }
  return n;
}

/// The values of `count` elements taken from the input, in memory layout for H5Dwrite/H5Awrite.
/// Variable-length data keeps its strings and sequences alive in `strings`.
struct Values {
  std::vector<std::uint8_t> raw;
  std::vector<std::string> strings;
  std::vector<const char*> string_ptrs;
  std::vector<hvl_t> sequences;
  const void* data() const {
    if (!string_ptrs.empty()) return string_ptrs.data();
    if (!sequences.empty()) return sequences.data();
    return raw.data();
  }
};

Values read_values(Cursor& in, const TypeSpec& t, hid_t type, std::size_t count) {
  Values v;
  if (t.code == DType::VarString) {
    for (std::size_t i = 0; i < count; ++i) v.strings.push_back(in.str());
    for (const std::string& s : v.strings) v.string_ptrs.push_back(s.c_str());
  } else if (t.code == DType::VlenInt) {
    v.sequences.assign(count, hvl_t{0, nullptr});
  } else {
    const std::size_t size = H5Tget_size(type);
    v.raw.assign(count * size, 0);
    const auto b = in.bytes(v.raw.size());
    std::copy(b.begin(), b.end(), v.raw.begin());
  }
  return v;
}

Handle link_plist() {
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE), HandleKind::PropertyList);
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  return lcpl;
}

std::string clean_path(std::string p) {
  std::replace(p.begin(), p.end(), '\0', '_');
  return p.empty() ? std::string("x") : p;
}

void add_dataset(Cursor& in, hid_t file, hid_t lcpl) {
  const std::string path = clean_path(in.str());
  const TypeSpec t = read_type(in);
  const SpaceSpec s = read_space(in);
  Handle type = type_handle(t);
  Handle space = space_handle(s);
  const std::size_t count = writable_count(s);
  if (count == SIZE_MAX) {
    // Declared only: contiguous storage allocated at the first write, which never comes.
    Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), HandleKind::PropertyList);
    H5Pset_alloc_time(dcpl.get(), H5D_ALLOC_TIME_LATE);
    H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER);
    Handle ds(H5Dcreate2(file, path.c_str(), type.get(), space.get(), lcpl, dcpl.get(), H5P_DEFAULT), HandleKind::Dataset);
    return;
  }
  const Values v = read_values(in, t, type.get(), count);
  if (!type || !space) return;
  Handle ds(H5Dcreate2(file, path.c_str(), type.get(), space.get(), lcpl, H5P_DEFAULT, H5P_DEFAULT), HandleKind::Dataset);
  if (ds && count > 0) H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
}

void add_attribute(Cursor& in, hid_t file) {
  std::string object = in.str();
  std::replace(object.begin(), object.end(), '\0', '_');
  if (object.empty()) object = "/";
  const std::string name = clean_path(in.str());
  const TypeSpec t = read_type(in);
  const SpaceSpec s = read_space(in);
  std::size_t count = writable_count(s);
  if (count == SIZE_MAX) count = 0;  // attributes live in the object header: never huge
  Handle type = type_handle(t);
  Handle space = space_handle(s);
  const Values v = read_values(in, t, type.get(), count);
  if (!type || !space || writable_count(s) == SIZE_MAX) return;
  if (H5Aexists_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT) != 0) return;
  Handle a(H5Acreate_by_name(file, object.c_str(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT,
                             H5P_DEFAULT),
           HandleKind::Attribute);
  if (a && count > 0) H5Awrite(a.get(), type.get(), v.data());
}

}  // namespace

bool build_h5(std::span<const std::uint8_t> input, const std::filesystem::path& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), HandleKind::PropertyList);
  H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG);
  Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()), HandleKind::File);
  if (!file) return false;
  const Handle lcpl = link_plist();
  Cursor in(input);
  while (!in.done()) {
    switch (in.u8() % 4) {
      case 0: {
        const std::string p = clean_path(in.str());
        Handle g(H5Gcreate2(file.get(), p.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT), HandleKind::Group);
        break;
      }
      case 1: add_dataset(in, file.get(), lcpl.get()); break;
      case 2: add_attribute(in, file.get()); break;
      default: {
        const std::string p = clean_path(in.str());
        const std::string target = clean_path(in.str());
        H5Lcreate_soft(target.c_str(), file.get(), p.c_str(), lcpl.get(), H5P_DEFAULT);
        break;
      }
    }
  }
  return file.reset();
}

// ---------------------------------------------------------------------------------------------
// Encoding an existing file

namespace {

/// The DType of a file type, or false when the decoder cannot express it.
bool dtype_of(hid_t type, TypeSpec& t) {
  const H5T_class_t cls = H5Tget_class(type);
  const std::size_t size = H5Tget_size(type);
  if (cls == H5T_FLOAT) {
    const bool be = H5Tget_order(type) == H5T_ORDER_BE;
    if (size == 4) t.code = be ? DType::F32BigEndian : DType::F32;
    else if (size == 8 && !be) t.code = DType::F64;
    else return false;
    return true;
  }
  if (cls == H5T_INTEGER) {
    if (H5Tget_order(type) != H5T_ORDER_LE) return false;
    const bool sign = H5Tget_sign(type) == H5T_SGN_2;
    switch (size) {
      case 1: t.code = sign ? DType::I8 : DType::U8; return true;
      case 2: t.code = sign ? DType::I16 : DType::U16; return true;
      case 4: t.code = sign ? DType::I32 : DType::U32; return true;
      case 8: t.code = sign ? DType::I64 : DType::U64; return true;
      default: return false;
    }
  }
  if (cls == H5T_STRING) {
    if (H5Tis_variable_str(type) > 0) {
      t.code = DType::VarString;
      return true;
    }
    if (size == 0 || size > 255) return false;
    t.code = DType::FixedString;
    t.fixed_size = size;
    return true;
  }
  if (cls == H5T_ENUM && H5Tget_nmembers(type) == 2 && size == 1) {
    t.code = DType::BoolEnum;
    return true;
  }
  return false;
}

struct Encoder {
  Writer out;

  void type(const TypeSpec& t) {
    out.u8(static_cast<std::uint8_t>(t.code));
    if (t.code == DType::FixedString) out.u8(static_cast<std::uint8_t>(t.fixed_size));
  }

  /// Space; returns the element count, or false for a space the decoder cannot express.
  bool space(hid_t sp, std::size_t& count) {
    const H5S_class_t cls = H5Sget_simple_extent_type(sp);
    if (cls == H5S_NULL) {
      out.u8(kNullRank);
      count = 0;
      return true;
    }
    const int rank = H5Sget_simple_extent_ndims(sp);
    if (rank < 0 || static_cast<std::size_t>(rank) > kMaxRank) return false;
    hsize_t dims[kMaxRank] = {};
    H5Sget_simple_extent_dims(sp, dims, nullptr);
    out.u8(static_cast<std::uint8_t>(rank));
    count = 1;
    for (int i = 0; i < rank; ++i) {
      out.varint(dims[i]);
      count *= static_cast<std::size_t>(dims[i]);
    }
    return true;
  }

  /// Values read with `read(memtype, buffer)` (H5Dread or H5Aread).
  template <class Read>
  void values(const TypeSpec& t, hid_t file_type, std::size_t count, Read&& read) {
    if (count == 0 || count > kMaxWritten) return;
    if (t.code == DType::VarString) {
      Handle mem(H5Tcopy(H5T_C_S1), HandleKind::Datatype);
      H5Tset_size(mem.get(), H5T_VARIABLE);
      H5Tset_cset(mem.get(), H5Tget_cset(file_type));
      std::vector<char*> p(count, nullptr);
      read(mem.get(), p.data());
      for (char* s : p) {
        out.str(s ? std::string(s) : std::string());
        H5free_memory(s);
      }
      return;
    }
    Handle mem = type_handle(t);
    std::vector<std::uint8_t> buf(count * H5Tget_size(mem.get()));
    read(mem.get(), buf.data());
    out.bytes(buf.data(), buf.size());
  }

  void dataset(hid_t file, const std::string& path) {
    Handle ds(H5Dopen2(file, path.c_str(), H5P_DEFAULT), HandleKind::Dataset);
    Handle ft(H5Dget_type(ds.get()), HandleKind::Datatype);
    Handle sp(H5Dget_space(ds.get()), HandleKind::Dataspace);
    TypeSpec t;
    if (!dtype_of(ft.get(), t)) return;
    const std::size_t saved = out.size();
    out.u8(1);
    out.str(path);
    type(t);
    std::size_t count = 0;
    if (!space(sp.get(), count)) {
      out.truncate(saved);
      return;
    }
    values(t, ft.get(), count, [&](hid_t mem, void* buf) { H5Dread(ds.get(), mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf); });
  }

  void attributes(hid_t file, const std::string& object) {
    H5O_info_t info;
    if (H5Oget_info_by_name2(file, object.c_str(), &info, H5O_INFO_NUM_ATTRS, H5P_DEFAULT) < 0) return;
    for (hsize_t i = 0; i < info.num_attrs; ++i) {
      Handle a(H5Aopen_by_idx(file, object.c_str(), H5_INDEX_NAME, H5_ITER_INC, i, H5P_DEFAULT, H5P_DEFAULT),
               HandleKind::Attribute);
      if (!a) continue;
      const ssize_t len = H5Aget_name(a.get(), 0, nullptr);
      std::string name(static_cast<std::size_t>(std::max<ssize_t>(len, 0)), '\0');
      H5Aget_name(a.get(), name.size() + 1, name.data());
      Handle ft(H5Aget_type(a.get()), HandleKind::Datatype);
      Handle sp(H5Aget_space(a.get()), HandleKind::Dataspace);
      TypeSpec t;
      if (!dtype_of(ft.get(), t)) continue;
      const std::size_t saved = out.size();
      out.u8(2);
      out.str(object == "/" ? std::string() : object);
      out.str(name);
      type(t);
      std::size_t count = 0;
      if (!space(sp.get(), count)) {
        out.truncate(saved);
        continue;
      }
      values(t, ft.get(), count, [&](hid_t mem, void* buf) { H5Aread(a.get(), mem, buf); });
    }
  }
};

struct VisitState {
  Encoder* enc;
  hid_t file;
};

herr_t visit(hid_t, const char* name, const H5O_info_t* info, void* op) {
  auto* st = static_cast<VisitState*>(op);
  const std::string path = std::string("/") + (std::strcmp(name, ".") == 0 ? "" : name);
  if (info->type == H5O_TYPE_GROUP && path != "/") {
    st->enc->out.u8(0);
    st->enc->out.str(path);
  } else if (info->type == H5O_TYPE_DATASET) {
    st->enc->dataset(st->file, path);
  }
  st->enc->attributes(st->file, path);
  return 0;
}

}  // namespace

std::vector<std::uint8_t> encode_h5(const std::filesystem::path& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), HandleKind::File);
  if (!file) return {};
  Encoder enc;
  VisitState st{&enc, file.get()};
  H5Ovisit2(file.get(), H5_INDEX_NAME, H5_ITER_INC, visit, &st, H5O_INFO_BASIC);
  return enc.out.take();
}

}  // namespace snnsim::fuzz
