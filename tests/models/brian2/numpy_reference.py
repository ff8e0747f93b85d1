#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Independent NumPy simulation of a snnsim-peer-network-v1 HDF5 file (Brian2's schedule).

Written from the peer README's equations only (no snnsim code): per step n
  1. state update: v = v_rest + (v - v_rest) P_vv + ge P_ve + gi P_vi unless refractory
     (n - last_spike < refractory_steps); then ge *= P_ee, gi *= P_ii;
  2. threshold: v > v_threshold and not refractory (spike sources emit their step-n spikes);
  3. delivery: spikes of step n - delay_steps add weight_V to target_var, one synapse at a time
     (source spikes ascending, synapses in file order);
  4. reset: v = v_reset for the neurons that spiked.
Prints "population,neuron,step" rows sorted by population order in the file, step, neuron.
Usage: numpy_reference.py FILE.h5 [OUT.csv]
"""
import sys

import h5py
import numpy as np


def simulate(path):
    f = h5py.File(path, "r")
    steps = int(f.attrs["steps"])
    pops = {}
    for name, g in f["populations"].items():
        a = g.attrs
        p = {"size": int(a["size"]), "model": a["model"] if isinstance(a["model"], str) else a["model"].decode()}
        if p["model"] == "spike_source":
            p["by_step"] = {}
            for n, s in zip(g["spike_neuron"][:], g["spike_step"][:]):
                p["by_step"].setdefault(int(s), []).append(int(n))
        else:
            for k in ("P_vv", "P_ee", "P_ii", "P_ve", "P_vi", "v_rest_V", "v_reset_V", "v_threshold_V"):
                p[k] = float(a[k])
            p["ref"] = int(a["refractory_steps"])
            p["v"] = g["v0_V"][:].astype(np.float64).copy()
            p["ge"] = np.zeros(p["size"])
            p["gi"] = np.zeros(p["size"])
            p["last"] = np.full(p["size"], -(10**9), dtype=np.int64)
        pops[name] = p
    projs = []
    for name, g in f["projections"].items():
        a = g.attrs
        src = g["source_neuron"][:]
        rows = {}
        order = np.argsort(src, kind="stable")
        tgt = g["target_neuron"][:][order]
        w = g["weight_V"][:][order]
        s_sorted = src[order]
        starts = np.searchsorted(s_sorted, np.arange(pops[a["source"]]["size"] + 1))
        var = a["target_var"] if isinstance(a["target_var"], str) else a["target_var"].decode()
        projs.append({"source": a["source"], "target": a["target"], "var": var,
                      "delay": int(a["delay_steps"]), "tgt": tgt, "w": w, "starts": starts})
    spikes = {name: [] for name in pops}  # per step list of arrays
    for n in range(steps):
        fired = {}
        for name, p in pops.items():
            if p["model"] == "spike_source":
                fired[name] = np.array(sorted(p["by_step"].get(n, [])), dtype=np.int64)
                continue
            refr = (n - p["last"]) < p["ref"]
            vn = p["v_rest_V"] + (p["v"] - p["v_rest_V"]) * p["P_vv"] + p["ge"] * p["P_ve"] + p["gi"] * p["P_vi"]
            p["v"] = np.where(refr, p["v"], vn)
            p["ge"] = p["ge"] * p["P_ee"]
            p["gi"] = p["gi"] * p["P_ii"]
            idx = np.nonzero((p["v"] > p["v_threshold_V"]) & ~refr)[0]
            p["last"][idx] = n
            fired[name] = idx
        for name in pops:
            spikes[name].append(fired[name])
        for pr in projs:
            s = n - pr["delay"]
            if s < 0:
                continue
            buf = pops[pr["target"]][pr["var"]]
            for i in spikes[pr["source"]][s]:
                a, b = pr["starts"][i], pr["starts"][i + 1]
                # np.add.at adds in index order, one element at a time: the sequential order.
                np.add.at(buf, pr["tgt"][a:b], pr["w"][a:b])
        for name, p in pops.items():
            if p["model"] != "spike_source":
                p["v"][fired[name]] = p["v_reset_V"]
    return pops, spikes


def main():
    pops, spikes = simulate(sys.argv[1])
    lines = []
    for name in pops:
        for n, idx in enumerate(spikes[name]):
            for i in idx:
                lines.append(f"{name},{i},{n}")
    text = "population,neuron,step\n" + "\n".join(lines) + "\n"
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w") as out:
            out.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
