// SPDX-License-Identifier: MIT
#pragma once
/// Structure-aware fuzzing of HDF5 loaders. Raw-byte fuzzing of an HDF5 file mostly exercises
/// libhdf5's own parser; here the fuzz input is instead decoded into a well-formed HDF5 file with
/// chosen groups, datasets, attributes, links, datatypes, shapes and values, so the mutations reach
/// our loaders' checks (missing fields, wrong types and shapes, NaN, huge declared sizes).
///
/// The encoding (every byte string decodes to some file; a short read yields zeros):
///   input   := record*
///   record  := op:u8 body           op % 4: 0 group, 1 dataset, 2 attribute, 3 soft link
///   group   := path
///   dataset := path type space values
///   attr    := path name type space values     (path "" is the root group)
///   link    := path target:str                  (may dangle)
///   str     := len:varint bytes[len];  path := str (components separated by '/')
///   type    := code:u8 [size:u8 for fixed strings]   (DType below, code % count)
///   space   := rank:u8 dims:varint*             (rank % 5: 0 scalar, 1-3 simple, 4 null)
///   values  := element bytes in the type's little-endian layout, or str per element for
///              variable-length strings. Objects of more than kMaxWritten elements are declared
///              but not written (late allocation), which is how huge shapes are expressed.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace snnsim::fuzz {

/// Datatypes the decoder can create: what our loaders read plus what they must refuse.
enum class DType : std::uint8_t {
  F32, F64, I8, I16, I32, I64, U8, U16, U32, U64,
  VarString, FixedString, BoolEnum, F32BigEndian, Compound, Opaque, Enum3, VlenInt, ArrayF32,
  Count
};

/// Elements above this are declared but not written.
inline constexpr std::size_t kMaxWritten = std::size_t{1} << 16;

/// Decodes `input` into a new HDF5 file at `path` (replacing it). Records HDF5 refuses are
/// skipped. Returns false when the file could not be created at all.
bool build_h5(std::span<const std::uint8_t> input, const std::filesystem::path& path);

/// Encodes an existing file (groups, datasets and attributes of the types above, soft links)
/// so that build_h5 recreates an equivalent file: the seeds of the structure-aware targets.
std::vector<std::uint8_t> encode_h5(const std::filesystem::path& path);

}  // namespace snnsim::fuzz
