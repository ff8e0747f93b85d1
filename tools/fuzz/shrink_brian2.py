#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""shrink_brian2.py IN.h5 OUT.h5 [NEURONS] [STEPS]: a small copy of a snnsim-peer-network-v1
file (the seed corpus of the Brian2 importer's fuzz targets): the first NEURONS neurons of every
population, the synapses and spikes among them, STEPS steps; every attribute is kept."""
import sys

import h5py
import numpy as np


def main():
    src, dst = sys.argv[1], sys.argv[2]
    keep = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    steps = int(sys.argv[4]) if len(sys.argv) > 4 else 30
    with h5py.File(src, "r") as f, h5py.File(dst, "w") as g:
        for k, v in f.attrs.items():
            g.attrs[k] = v
        g.attrs["steps"] = np.int64(steps)
        sizes = {}
        for name, pop in f["populations"].items():
            out = g.create_group("populations/" + name)
            for k, v in pop.attrs.items():
                out.attrs[k] = v
            n = min(keep, int(pop.attrs["size"]))
            sizes[name] = n
            out.attrs["size"] = np.int64(n)
            for k, d in pop.items():
                a = d[()]
                if k in ("spike_neuron", "spike_step"):
                    continue
                out[k] = a[:n] if a.ndim == 1 else a
            if "spike_neuron" in pop:
                nn, ss = pop["spike_neuron"][()], pop["spike_step"][()]
                m = (nn < n) & (ss < steps)
                out["spike_neuron"], out["spike_step"] = nn[m], ss[m]
        for name, proj in f.get("projections", {}).items():
            out = g.create_group("projections/" + name)
            for k, v in proj.attrs.items():
                out.attrs[k] = v
            s, t = proj["source_neuron"][()], proj["target_neuron"][()]
            m = (s < sizes[proj.attrs["source"]]) & (t < sizes[proj.attrs["target"]])
            for k in proj:
                out[k] = proj[k][()][m]


if __name__ == "__main__":
    main()
