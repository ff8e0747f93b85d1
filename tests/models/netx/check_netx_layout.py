# SPDX-License-Identifier: MIT
"""Checks a NetX file snnsim wrote (tests/models/netx/netx_test.cpp's dense chain) against the
layout lava-dl's netx/hdf5.py reads (NetDict keys, dtypes and shapes as slayer's export_hdf5
writes them). Exits non-zero with a message on a mismatch."""
import sys

import h5py
import numpy as np

f = h5py.File(sys.argv[1], "r")
errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)


def string_at(ds):
    value = ds[0] if len(ds.shape) > 0 else ds[()]  # as NetDict reads 'type'
    return value.decode("ascii")


check(set(f.keys()) == {"layer", "simulation"}, f"root {sorted(f.keys())}")
layers = f["layer"]
check(sorted(layers.keys(), key=int) == ["0", "1", "2"], f"layers {list(layers.keys())}")
check(string_at(layers["0/type"]) == "input" and layers["0/type"].shape == (1,), "layer 0 type")
check(layers["0/shape"].dtype == np.int64 and list(layers["0/shape"][()]) == [8], "layer 0 shape")
check(set(layers["0"].keys()) == {"type", "shape"}, "input layer: shape only (spikes enter the first dense)")
sizes = {1: (6, 8), 2: (4, 6)}
for i, (out, inp) in sizes.items():
    g = layers[str(i)]
    check(string_at(g["type"]) == "dense", f"{i}/type")
    expected = {"type", "shape", "inFeatures", "outFeatures", "weight", "bias", "neuron"} | ({"delay"} if i == 2 else set())
    check(set(g.keys()) == expected, f"{i}: members {sorted(g.keys())}")
    check(list(g["shape"][()]) == [out] and g["shape"].dtype == np.int64, f"{i}/shape")
    check(g["inFeatures"][()] == inp and g["outFeatures"][()] == out, f"{i}/features")
    check(g["weight"].dtype == np.float32 and g["weight"].shape == (out, inp), f"{i}/weight {g['weight'].dtype} {g['weight'].shape}")
    w = g["weight"][()]
    check(np.all(w == np.round(w)) and w.min() >= -256 and w.max() <= 254, f"{i}/weight: 8-bit integers NetX keeps unclipped")
    check(g["bias"].dtype == np.float32 and g["bias"].shape == (out,), f"{i}/bias")
    n = g["neuron"]
    check(set(n.keys()) == {"type", "iDecay", "vDecay", "vThMant", "refDelay", "gradedSpike"}, f"{i}/neuron members")
    check(string_at(n["type"]) == "CUBA", f"{i}/neuron/type")
    for k in ("iDecay", "vDecay", "vThMant", "refDelay"):
        check(n[k].dtype == np.int64 and n[k].shape == (), f"{i}/neuron/{k}")
    check(0 <= n["iDecay"][()] <= 4096 and 0 <= n["vDecay"][()] <= 4096, f"{i}: decays are 12-bit")
    check(0 < n["vThMant"][()] < 2**17, f"{i}: vThMant is 17-bit")
check(layers["2/delay"].dtype == np.float32 and list(layers["2/delay"][()]) == [2, 2, 2, 2], "2/delay")
if errors:
    print("\n".join(errors))
    sys.exit(1)
