// SPDX-License-Identifier: MIT
// Regression (found by fuzz_lmuformer_raw: an out-of-memory of 2.3 GB): a dataset of 16 values
// whose damaged float type declares 150 MB per value passed the size check (16 x sizeof(float))
// and libhdf5 then allocated its conversion buffer at the file's value size. Numeric types wider
// than 8 bytes are now refused before reading.
#include <doctest/doctest.h>
#include <hdf5.h>

#include "sim/error.hpp"
#include "sim/hdf5/hdf5.hpp"
#include "tests/support/temp_dir.hpp"

using namespace snnsim;

TEST_CASE("regression: a numeric HDF5 type of huge values is refused before libhdf5 allocates") {
  const test::TempDir dir("reg-h5");
  const auto path = dir / "wide.h5";
  {
    // A 1 MiB-wide float type (valid HDF5: padding around a float32) and 16 values never written.
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    const hid_t type = H5Tcopy(H5T_IEEE_F32LE);
    REQUIRE(H5Tset_size(type, std::size_t{1} << 20) >= 0);
    const hsize_t n = 16;
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER);
    const hid_t ds = H5Dcreate2(file, "wide", type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    REQUIRE(ds >= 0);
    H5Dclose(ds);
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Tclose(type);
    H5Fclose(file);
  }
  const h5::File f = h5::File::open_read(path);
  CHECK(f.shape("wide") == h5::Shape{16});
  CHECK_THROWS_WITH_AS(f.read<float>("wide"),
                       (path.string() + ": /wide: expected a numeric dataset of at most 8 bytes per value, got "
                                        "1048576-byte values").c_str(),
                       Error);
}
