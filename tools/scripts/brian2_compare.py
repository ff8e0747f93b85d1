#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Runs Brian2 (C++ standalone, one thread) and snnsim on the same network files, in the same
run, and prints their spike agreement and speed ratio.

  /usr/bin/python3 tools/scripts/brian2_compare.py [--snnsim build/tools/snnsim] [--runs 5]
      [--threads 1 2] [--keep DIR] ../shared/peers/brian2/cuba.h5 ../shared/peers/brian2/ff.h5

For each snnsim-peer-network-v1 file the script builds Brian2's standalone program from the
file's arrays (examples/CUBA.py's equations, method 'exact'; SpikeGeneratorGroup for spike
sources; Synapses with on_pre 'ge += w' or 'gi += w' and the file's delay), runs it and snnsim
once each with their rasters and compares them spike for spike, then times both alternately
(`--runs` rounds: Brian2's own loop timer from results/last_run_info.txt; snnsim bench's trial
wall and CPU time), so that both see the same machine load. Brian2's timer is std::clock(),
the process CPU time of its simulation loop; snnsim bench reports the same clock and the wall
time. The table gives medians per simulated second and the ratios Brian2 / snnsim: with one
thread CPU to CPU (the like-for-like figure on a busy machine, equal to wall time on an idle
one), and for every thread count Brian2's time over snnsim's wall time. Without Brian2 (Debian
package python3-brian) only snnsim is timed.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

import h5py
import numpy as np


def text(attr):
    return attr.decode() if isinstance(attr, bytes) else str(attr)


def build_brian2(path, directory):
    """Builds (and runs once) the Brian2 standalone program; returns its raster as a set of rows."""
    import brian2 as b2
    from brian2 import second, volt

    b2.set_device("cpp_standalone", directory=directory, build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = 0  # one thread, no OpenMP
    f = h5py.File(path, "r")
    dt = float(f.attrs["dt_s"]) * second
    b2.defaultclock.dt = dt
    steps = int(f.attrs["steps"])
    groups = {}
    for name, g in f["populations"].items():
        a = g.attrs
        if text(a["model"]) == "spike_source":
            groups[name] = b2.SpikeGeneratorGroup(int(a["size"]), g["spike_neuron"][:], g["spike_step"][:] * dt, name=name)
            continue
        if text(a["model"]) != "cuba_lif_exact":
            raise SystemExit(f"{path}: population {name}: Brian2 model for '{text(a['model'])}' not known to this script")
        ns = dict(taum=a["tau_m_s"] * second, taue=a["tau_e_s"] * second, taui=a["tau_i_s"] * second,
                  El=a["v_rest_V"] * volt, Vt=a["v_threshold_V"] * volt, Vr=a["v_reset_V"] * volt)
        eqs = """dv/dt = (ge+gi-(v-El))/taum : volt (unless refractory)
                 dge/dt = -ge/taue : volt
                 dgi/dt = -gi/taui : volt"""
        group = b2.NeuronGroup(int(a["size"]), eqs, threshold="v>Vt", reset="v = Vr",
                               refractory=a["refractory_s"] * second, method="exact", namespace=ns, name=name)
        group.v = g["v0_V"][:] * volt
        groups[name] = group
    synapses = []
    for name, g in f["projections"].items():
        a = g.attrs
        s = b2.Synapses(groups[text(a["source"])], groups[text(a["target"])], "w : volt",
                        on_pre=text(a["target_var"]) + " += w", name=name)
        s.connect(i=g["source_neuron"][:], j=g["target_neuron"][:])
        s.w = g["weight_V"][:] * volt
        s.delay = int(a["delay_steps"]) * dt
        synapses.append(s)
    monitors = {n: b2.SpikeMonitor(grp) for n, grp in groups.items()}
    net = b2.Network(list(groups.values()) + synapses + list(monitors.values()))
    net.run(steps * dt)
    b2.device.build(directory=directory, compile=True, run=True)
    rows = set()
    for n, m in monitors.items():
        for i, t in zip(np.asarray(m.i[:]), np.asarray(m.t[:] / dt)):
            rows.add((n, int(i), int(round(t))))
    b2.device.reinit()
    b2.device.activate()
    return rows, float(f.attrs["dt_s"]) * steps


def brian2_run_seconds(directory):
    subprocess.run(["./main"], cwd=directory, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(directory, "results", "last_run_info.txt")) as info:
        return float(info.read().split()[0])


def snnsim_rows(snnsim, path, csv):
    subprocess.run([snnsim, "run", "--network", path, "--spikes", csv, "--threads", "1"], check=True,
                   stdout=subprocess.DEVNULL)
    with open(csv) as f:
        next(f)
        return {(p, int(n), int(s)) for p, n, s in (line.strip().split(",") for line in f)}


def snnsim_bench_seconds(snnsim, path, threads, out_json):
    """(wall, CPU) seconds of one trial."""
    subprocess.run([snnsim, "bench", "--network", path, "--threads", str(threads), "--runs", "1", "--json", out_json],
                   check=True, stdout=subprocess.DEVNULL)
    with open(out_json) as f:
        j = json.load(f)
        return j["median_wall_seconds"], j["median_cpu_seconds"]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+")
    parser.add_argument("--snnsim", default=os.path.join(here, "..", "..", "build", "tools", "snnsim"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--keep", help="build Brian2's programs in this folder and keep them")
    args = parser.parse_args()
    try:
        import brian2  # noqa: F401
        have_brian2 = True
    except ImportError:
        have_brian2 = False
        print("Brian2 is not installed (apt-get install python3-brian): timing snnsim only")
    work = args.keep or tempfile.mkdtemp(prefix="brian2-compare-")
    table = []
    for path in args.files:
        name = os.path.splitext(os.path.basename(path))[0]
        directory = os.path.join(os.path.abspath(work), name)
        simulated = None
        if have_brian2:
            rows, simulated = build_brian2(path, directory)
            mine = snnsim_rows(args.snnsim, path, os.path.join(work, name + "_snnsim.csv"))
            same = len(rows & mine)
            print(f"{name}: Brian2 {len(rows)} spikes, snnsim {len(mine)} spikes, {same} identical (population, neuron, step)"
                  + (" - rasters equal" if rows == mine else " - RASTERS DIFFER"))
        if simulated is None:
            with h5py.File(path, "r") as f:
                simulated = float(f.attrs["dt_s"]) * int(f.attrs["steps"])
        brian, ours = [], {t: [] for t in args.threads}
        for _ in range(args.runs):  # alternate, so that both see the same load
            if have_brian2:
                brian.append(brian2_run_seconds(directory))
            for t in args.threads:
                ours[t].append(snnsim_bench_seconds(args.snnsim, path, t, os.path.join(work, "bench.json")))
        row = {"name": name, "brian2": statistics.median(brian) / simulated if brian else None,
               "cpu1": statistics.median(c for w, c in ours[args.threads[0]]) / simulated}
        for t in args.threads:
            row[t] = statistics.median(w for w, c in ours[t]) / simulated
        table.append(row)
    t0 = args.threads[0]
    print(f"\nseconds per simulated second, median of {args.runs} alternating runs "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    header = (f"{'network':<8} {'Brian2 C++ 1thr':>16} {'snnsim ' + str(t0) + 'thr CPU':>17} {'ratio':>7}"
              + "".join(f" {'snnsim ' + str(t) + 'thr wall':>18} {'ratio':>7}" for t in args.threads))
    print(header)

    def ratio(b, x):
        return f"{b / x:>6.2f}x" if b else f"{'-':>7}"
    for row in table:
        b = row["brian2"]
        line = f"{row['name']:<8} " + (f"{b:>16.4f}" if b else f"{'-':>16}") + f" {row['cpu1']:>17.4f} {ratio(b, row['cpu1'])}"
        for t in args.threads:
            line += f" {row[t]:>18.4f} {ratio(b, row[t])}"
        print(line)
    print("Brian2: its own loop timer (std::clock, CPU time). ratio = Brian2 / snnsim (higher: snnsim faster)")


if __name__ == "__main__":
    sys.exit(main())
