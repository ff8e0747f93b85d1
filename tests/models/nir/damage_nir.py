# SPDX-License-Identifier: MIT
"""Damages a NIR file in place for the bad-input tests: damage_nir.py HOW FILE."""
import sys

import h5py
import numpy as np

how, path = sys.argv[1], sys.argv[2]
with h5py.File(path, "r+") as f:
    g = f["node"]
    if how == "unknown_type":
        del g["nodes/a/type"]
        g["nodes/a"].create_dataset("type", data="CubaLIF", dtype=h5py.string_dtype())
    elif how in ("dangling_edge", "backwards_edge"):
        e = g["edges"][()].astype(object)
        e[0] = ["ghost", "a"] if how == "dangling_edge" else ["logits", "a"]
        del g["edges"]
        g.create_dataset("edges", data=np.array(e, dtype=object), dtype=h5py.string_dtype())
    elif how == "nan_weight":
        w = g["nodes/readout/weight"][()]
        w[1, 2] = np.nan
        del g["nodes/readout/weight"]
        g["nodes/readout"].create_dataset("weight", data=w)
    elif how == "huge_lag":
        del g["nodes/a/metadata/lag"]
        g["nodes/a/metadata"].create_dataset("lag", data=1e300)
    elif how == "far_lag":  # allowed alone, but taps into a then read 2^31 steps ahead
        del g["nodes/a/metadata/lag"]
        g["nodes/a/metadata"].create_dataset("lag", data=2**31)
    else:
        sys.exit(f"unknown damage {how}")
