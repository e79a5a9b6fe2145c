#!/usr/bin/python3
"""make bench: cost per atom and per call of the USER-MLIPEVAL styles next to pair_style sw
and compute voronoi/atom occupation, at 32 000 and 256 000 atoms on 1 and 2 MPI ranks.

Each case runs SW MD with the analysis invoked every step; its cost is the growth of LAMMPS's
'Modify' time over a baseline run with the same MD and no analysis."""
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
# --only SECTION runs one section: re (make bench-re), longrun (make bench-longrun), kokkos or memory
ONLY = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
ARGS = [a for k, a in enumerate(sys.argv[1:], 1) if a != "--only" and sys.argv[k - 1] != "--only"]
LMP = os.path.abspath(ARGS[0] if ARGS else "build/lmp")
# the LAMMPS 2025 + KOKKOS build's launcher, for the /kk styles; optional
LMP_KK = os.path.abspath(ARGS[1]) if len(ARGS) > 1 else None
SIZES = [("32000", (20, 20, 10), 40), ("256000", (40, 40, 20), 8)]    # atoms, cells, steps
RANKS = [1, 2]
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_rmaps_base_oversubscribe="1", OMP_NUM_THREADS="1")


SHARED = os.path.abspath(os.path.join(HERE, "..", "..", "shared"))
SNAPDIR = os.path.join(SHARED, "potentials", "si-snap-mlearn", "snap")


def run(mode, cells, steps, np, extra=(), tmp=None, lmp=None, env=None, script="in.bench"):
    """Run one case; returns (atoms, steps, {timer section: avg seconds}) of the timed run.
    lmp: the launcher (default LMP); it loads the plugin itself (LAMMPS_PLUGIN_PATH)."""
    with tempfile.TemporaryDirectory() as own:
        tmp = tmp or own
        log = os.path.join(tmp, "log")
        script = os.path.join(HERE, script)
        # Kokkos runs: no binding, so that a rank may run its threads on several cores
        bind = ["--bind-to", "none"] if lmp else []
        cmd = ["mpirun"] + bind + ["-np", str(np), lmp or LMP, "-in", script, "-log", log,
               "-screen", "none", "-var", "mode", os.path.join(HERE, mode),
               "-var", "nx", str(cells[0]), "-var", "ny", str(cells[1]), "-var", "nz", str(cells[2]),
               "-var", "steps", str(steps)] + list(extra)
        subprocess.run(cmd, check=True, env=env or ENV, cwd=tmp)
        text = open(log).read()
    # the last loop is the timed one (the first is the one-step warm-up)
    return timed_loops(text)[-1]


def timed_loops(text):
    """(atoms, steps, {timer section: seconds averaged over ranks, section + " max": the slowest
    rank's, Loop: wall}) of each run in a log."""
    found = []
    heads = list(re.finditer(r"Loop time of ([\d.eE+-]+) on (\d+) procs for (\d+) steps with (\d+) atoms", text))
    for k, head in enumerate(heads):
        end = heads[k + 1].start() if k + 1 < len(heads) else len(text)
        sections = {"Loop": float(head.group(1))}
        for m in re.finditer(r"^(Pair|Neigh|Comm|Output|Modify|Other)\s+\|\s+([\d.eE+-]+)\s+\|\s+([\d.eE+-]+)"
                             r"\s+\|\s+([\d.eE+-]+)", text[head.end():end], re.M):
            sections[m.group(1)] = float(m.group(3))
            sections[m.group(1) + " max"] = float(m.group(4))
        found.append((int(head.group(4)), int(head.group(3)), sections))
    return found


def long_run():
    """The 63-atom SW Si cell with one vacancy at 1600 K (the paper's cell size): the Modify time
    of each 50 000-step segment of a 250 000-step run with fix vacancy/track and compute
    interstitial/type every step, and the cost per call of compute re/atom + fix vacancy/track
    against an SW step at that size."""
    script = os.path.join(HERE, "in.longrun")

    def loops(analysis, segments, seglen):
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "log")
            subprocess.run([LMP, "-in", script, "-log", log, "-screen", "none", "-var", "analysis", str(analysis),
                            "-var", "segments", str(segments), "-var", "seglen", str(seglen)],
                           check=True, env=ENV, cwd=tmp)
            return timed_loops(open(log).read())[1:]    # the first is the 1000-step warm-up

    print()
    print("== long run: 63-atom Si (one vacancy), SW at 1600 K, vacancy/track + interstitial/type every step ==")
    segs = loops(1, 5, 50000)
    for k, (_, n, t) in enumerate(segs):
        print("segment %d (steps %7d-%7d): Modify %7.3f s  Pair %7.3f s" % (k + 1, 1000 + k * n, 1000 + (k + 1) * n,
                                                                            t["Modify"], t["Pair"]))
    ratio = segs[-1][2]["Modify"] / segs[0][2]["Modify"]
    print("Modify time of the last segment / the first: %.3f (goal <= 1.2)" % ratio)
    sys.stdout.flush()
    steps = 20000
    base = loops(0, 1, steps)[0]
    track = loops(2, 1, steps)[0]
    natoms = base[0]
    per_call = max(track[2]["Modify"] - base[2]["Modify"], 0.0) * 1e6 / steps
    sw = base[2]["Pair"] * 1e6 / steps
    print("%d atoms: compute re/atom + fix vacancy/track %.2f us per call (%.3f us per atom); "
          "sw step %.2f us; ratio %.3f (goal < 0.5)" % (natoms, per_call, per_call / natoms, sw, per_call / sw))


def main():
    if ONLY == "longrun":
        long_run()
        return
    if ONLY == "kokkos":
        kokkos()
        return
    if ONLY == "memory":
        memory()
        return
    if ONLY == "re":
        re_atom_table()
        return
    if ONLY == "beyond":
        beyond()
        return
    re_atom_table()
    force_reference()
    sys.stdout.flush()
    vacancy_track()
    sys.stdout.flush()
    interstitial_type()
    sys.stdout.flush()
    beyond()
    sys.stdout.flush()
    long_run()
    sys.stdout.flush()
    memory()
    sys.stdout.flush()
    if LMP_KK:
        kokkos()


def re_atom_table():
    """compute re/atom (sites cell) invoked every step next to compute voronoi/atom occupation,
    at 32 000 and 256 000 atoms on 1 and 2 ranks; the speed-up of 2 ranks over 1.  A small
    shared machine moves by 20 % and more from one minute to the next: each case runs REPEATS
    times (MLIPEVAL_BENCH_REPEATS, default 3), the 1- and 2-rank runs of one repeat right after
    each other, so that a speed-up compares runs of one moment; the line gives the medians (of
    the speed-ups, the median of each repeat's) and then every run's re/atom."""
    repeats = int(os.environ.get("MLIPEVAL_BENCH_REPEATS", "3"))
    print("== make bench: USER-MLIPEVAL cost per atom per call (wall time; MD: SW Si, 1230 K start) ==")
    print("%-8s %-5s %12s %12s %14s %10s %10s %9s %9s %9s   %s" % ("atoms", "ranks", "sw/step", "re/atom",
                                                                       "voronoi/occ", "re/sw", "re/voro", "speed-up",
                                                                       "sw s-up", "voro s-up", "re/atom each run"))
    for label, cells, steps in SIZES:
        got = {np: {"sw": [], "sw_max": [], "re": [], "vo": []} for np in RANKS}
        for _ in range(repeats):
            for np in RANKS:
                natoms, n, base = run("base.inc", cells, steps, np)
                _, _, re_ = run("re.inc", cells, steps, np)
                _, _, vo = run("voro.inc", cells, steps, np)
                per = 1e6 / (natoms * n)    # seconds per run -> microseconds per atom per call
                g = got[np]
                g["sw"].append(base["Pair"] * per)
                g["sw_max"].append(base["Pair max"] * per)
                g["re"].append(max(re_["Modify"] - base["Modify"], 0.0) * per)
                g["vo"].append(max(vo["Modify"] - base["Modify"], 0.0) * per)
        one = got[RANKS[0]]
        for np in RANKS:
            g = got[np]
            m_sw, m_re, m_vo = statistics.median(g["sw"]), statistics.median(g["re"]), statistics.median(g["vo"])
            ratio = lambda a, b: statistics.median([x / y if y > 0 else float("nan") for x, y in zip(a, b)])
            print("%-8d %-5d %9.4f us %9.4f us %11.4f us %10.3f %10.4f %9.2f %9.2f %9.2f   %s" %
                  (natoms, np, m_sw, m_re, m_vo, m_re / m_sw, m_re / m_vo if m_vo > 0 else float("nan"),
                   ratio(one["re"], g["re"]), ratio(one["sw_max"], g["sw_max"]), ratio(one["vo"], g["vo"]),
                   " ".join("%.4f" % t for t in g["re"])))
            sys.stdout.flush()
    print("Columns: microseconds of wall time per atom per call (on 2 ranks the wall time is shared by 2 cores),")
    print("medians of %d runs; speed-up: re/atom on 1 rank over this many ranks (median over the repeats, each" % repeats)
    print("from runs of one moment); sw s-up: the same for pair sw's time on its slowest rank (work split evenly:")
    print("what this machine's cores allow an even kernel); voro s-up: the same for voronoi/atom occupation,")
    print("a LAMMPS compute that also exchanges every call.")
    print("Goals (issue 12): re/atom <= 0.05 us per atom per call on one core at 256 000 atoms, below")
    print("voronoi/atom occupation at every size, speed-up >= 1.9 on 2 ranks.")
    sys.stdout.flush()


def diamond_xyz(path, cells, a=5.431):
    """The sites of the memory case as an xyz file (the box's diamond lattice, Cartesian)."""
    import numpy as np
    basis = np.array([[0, 0, 0], [0, .5, .5], [.5, 0, .5], [.5, .5, 0],
                      [.25, .25, .25], [.25, .75, .75], [.75, .25, .75], [.75, .75, .25]])
    g = np.arange(cells)
    cell = np.stack(np.meshgrid(g, g, g, indexing="ij"), -1).reshape(-1, 1, 3)[:, :, ::-1]
    pos = ((cell + basis[None]) * a).reshape(-1, 3)
    with open(path, "w") as out:
        out.write("%d\nsites of a diamond %d^3 box\n" % (len(pos), cells))
        np.savetxt(out, pos, fmt="Si %.10f %.10f %.10f")


def memory(cells=64):
    """Extra peak resident memory that compute re/atom adds (diamond, run 0) at 2 097 152 atoms on
    1, 2 and 4 ranks, with sites cell, with sites lattice (the lattice of the box, which is built
    as sites cell is) and with sites file (stored positions, which rank 0 reads and each rank keeps
    near its subdomain), next to what LAMMPS's own accounting says (its 'Per MPI rank memory
    allocation', which includes the compute's memory_usage()).  Each rank runs under
    /usr/bin/time, which writes its peak RSS to a file named by the rank: rank 0's and the most
    any other rank adds are printed."""
    with tempfile.TemporaryDirectory() as files:
        sitefile = os.path.join(files, "sites.xyz")
        diamond_xyz(sitefile, cells)
        for sites in ("cell", "lattice", "file"):
            print()
            print("== compute re/atom memory: %d atoms (diamond %d^3 cells, sites %s), run 0 ==" %
                  (8 * cells ** 3, cells, sites))
            print("%-6s %16s %16s %18s %14s %18s" % ("ranks", "rank 0 peak RSS", "re/atom adds", "LAMMPS says adds",
                                                     "vs 1 rank", "other ranks add"))
            first = None
            for np in (1, 2, 4):
                got = {}
                for re_on in (0, 1):
                    with tempfile.TemporaryDirectory() as tmp:
                        log = os.path.join(tmp, "log")
                        wrap = ("exec /usr/bin/time -o %s/rss.$OMPI_COMM_WORLD_RANK -f %%M %s -in %s -log %s "
                                "-screen none -var n %d -var re %d -var sites %s -var sitefile %s" %
                                (tmp, LMP, os.path.join(HERE, "in.memory"), log, cells, re_on, sites, sitefile))
                        subprocess.run(["mpirun", "-np", str(np), "sh", "-c", wrap], check=True, env=ENV, cwd=tmp)
                        rss = [float(open(os.path.join(tmp, "rss.%d" % r)).read().split()[-1]) / 1024.0
                               for r in range(np)]    # MiB
                        m = re.search(r"Per MPI rank memory allocation \(min/avg/max\) = [\d.]+ \| [\d.]+ \| "
                                      r"([\d.]+) Mbytes", open(log).read())
                        got[re_on] = (rss, float(m.group(1)))
                extra = got[1][0][0] - got[0][0][0]
                others = max([a - b for a, b in zip(got[1][0][1:], got[0][0][1:])], default=float("nan"))
                first = first if first is not None else extra
                print("%-6d %12.0f MiB %12.0f MiB %14.0f MiB %14.2f %14.0f MiB" %
                      (np, got[1][0][0], extra, got[1][1] - got[0][1], extra / first, others))
                sys.stdout.flush()
    print("Goal (issue 12): the extra peak of rank 0 on 2 ranks <= 0.6 of that on 1 rank, on 4 ranks <= 0.4.")


def kokkos():
    """Each style and its /kk variant in LAMMPS 4 Feb 2025 + KOKKOS (Kokkos 4.5.01, OpenMP
    backend), 256 000 atoms, 1 MPI rank, -k on t 1 and t 2 -sf kk (SW MD as sw/kk).  The plain
    style runs in the same Kokkos run (defined after "suffix off"), so that both see the same
    machine state.  Cost = growth of 'Modify' over the same run without the analysis."""
    if not LMP_KK:
        print("(no Kokkos build given: Kokkos section skipped)")
        return
    cells, steps = (40, 40, 20), 12
    # on a small shared machine one run moves by 10 % on 2 threads: each case runs REPEATS times
    # (MLIPEVAL_BENCH_REPEATS, default 3) and the median speed-up is the figure
    repeats = int(os.environ.get("MLIPEVAL_BENCH_REPEATS", "3"))
    env = dict(ENV, OMP_PROC_BIND="spread", OMP_PLACES="threads")
    print()
    print("== Kokkos styles (LAMMPS 4 Feb 2025, Kokkos 4.5.01 OpenMP), 256 000 atoms, 1 MPI rank ==")
    print("%-34s %7s %12s %12s %9s   %s" % ("style (invoked every step)", "threads", "plain", "/kk", "speed-up",
                                            "each run"))
    with tempfile.TemporaryDirectory() as tmp:
        ref = ["-var", "refdump", os.path.join(tmp, "ref.dump")]
        run("refdump.inc", cells, steps, 1, ref, tmp, LMP_KK, env)
        for label, inc in (("re/atom", "re.inc"), ("force/reference + force/error", "fref.inc"),
                           ("vacancy/track (1 vacancy)", "vt1.inc"), ("interstitial/type (1 interstitial)", "it.inc")):
            plain_inc = os.path.join(tmp, "plain_" + inc)
            with open(plain_inc, "w") as f:
                f.write("suffix off\ninclude %s\nsuffix on\n" % os.path.join(HERE, inc))
            for threads in (1, 2):
                args = ["-k", "on", "t", str(threads), "-sf", "kk"]
                env = dict(env, OMP_NUM_THREADS=str(threads))
                runs = []
                for _ in range(repeats):
                    natoms, n, base = run("base.inc", cells, steps, 1, args, None, LMP_KK, env)
                    cost = []
                    for mode in (plain_inc, inc):
                        _, _, t = run(mode, cells, steps, 1, ref + args, tmp, LMP_KK, env)
                        cost.append(max(t["Modify"] - base["Modify"], 0.0) * 1e6 / (natoms * n))
                    runs.append((cost[0] / cost[1], cost[0], cost[1]))
                mid = sorted(runs)[len(runs) // 2]
                print("%-34s %7d %9.4f us %9.4f us %9.2f   %s" % (label, threads, mid[1], mid[2], mid[0],
                                                               " ".join("%.2f" % r[0] for r in runs)))
                sys.stdout.flush()
    print("Columns: microseconds of wall time per atom per call and the speed-up of the /kk style over the plain")
    print("one, of the run with the median speed-up; then the speed-up of each run.")
    print("Goals (issue 11): speed-up >= 1.0 on 1 thread, >= 1.8 on 2 threads.")


def interstitial_type():
    """compute interstitial/type invoked every step (with its compute re/atom), one interstitial."""
    print()
    print("== compute interstitial/type every step (with its compute re/atom), one interstitial, 1 rank ==")
    print("%-8s %14s %14s %12s %10s" % ("atoms", "per atom", "per call", "sw/step", "it/sw"))
    for label, cells, steps in SIZES:
        natoms, n, base = run("base.inc", cells, steps, 1)
        _, _, it = run("it.inc", cells, steps, 1)
        t = max(it["Modify"] - base["Modify"], 0.0)
        sw = base["Pair"] * 1e6 / (natoms * n)
        print("%-8d %11.4f us %11.3f ms %9.4f us %10.3f" % (natoms, t * 1e6 / (natoms * n), t * 1e3 / n, sw,
                                                          t * 1e6 / (natoms * n) / sw))
        sys.stdout.flush()


def vacancy_track():
    """fix vacancy/track invoked every step (including its compute re/atom), 1 and 100 vacancies."""
    print()
    print("== fix vacancy/track every step (with its compute re/atom), 1 rank ==")
    print("%-8s %-10s %14s %12s %10s" % ("atoms", "vacancies", "track/step", "sw/step", "track/sw"))
    for label, cells, steps in SIZES:
        natoms, n, base = run("base.inc", cells, steps, 1)
        for nvac, inc in ((1, "vt1.inc"), (100, "vt100.inc")):
            _, _, vt = run(inc, cells, steps, 1)
            per = 1e6 / (natoms * n)
            t = max(vt["Modify"] - base["Modify"], 0.0) * per
            sw = base["Pair"] * per
            print("%-8d %-10d %11.4f us %9.4f us %10.3f" % (natoms, nvac, t, sw, t / sw))
            sys.stdout.flush()


def force_reference():
    """In-situ cost of fix force/reference + compute force/error evaluated every step."""
    cells, steps = (20, 20, 10), 10
    print()
    print("== fix force/reference + compute force/error every step (SW MD, reference frames from a dump) ==")
    with tempfile.TemporaryDirectory() as tmp:
        ref = ["-var", "refdump", os.path.join(tmp, "ref.dump")]
        # the reference: the same MD on one rank with its forces dumped every step
        run("refdump.inc", cells, steps, 1, ref, tmp)
        natoms, n, base = run("base.inc", cells, steps, 1)
        _, _, fr = run("fref.inc", cells, steps, 1, ref, tmp)
        per = 1e6 / (natoms * n)
        t_fr = max(fr["Modify"] - base["Modify"], 0.0) * per
        sw = base["Pair"] * per
        line = "%d atoms, 1 rank: force/reference+force/error %.4f us per atom per step; sw %.4f us (%.1f %% of sw)" % (
            natoms, t_fr, sw, 100 * t_fr / sw)
        print(line)
        if os.path.exists(os.path.join(SNAPDIR, "SNAPotential.snapcoeff")):
            _, ns, snap = run("snap.inc", cells, 2, 1, ["-var", "snapdir", SNAPDIR])
            t_snap = snap["Pair"] * 1e6 / (natoms * ns)
            print("mlearn Si SNAP %.3f us per atom per step: force/reference+force/error is %.2f %% of a SNAP step"
                  " (goal < 1 %%)" % (t_snap, 100 * t_fr / t_snap))
        else:
            print("(%s absent: SNAP comparison skipped)" % SNAPDIR)


def beyond():
    """Issue 14: the cost of per-species sublattices (3C-SiC, Tersoff MD, 256 000 atoms, compute
    re/atom every step with and without types) and of fix re/select checking every step (SW Si,
    32 000 atoms): on re with min_gap 1 (a frame written at every step that has an RE atom) and on
    hop (a check, rarely a frame); per written frame and per check above compute re/atom."""
    repeats = int(os.environ.get("MLIPEVAL_BENCH_REPEATS", "3"))
    print()
    print("== beyond the paper: sublattices and fix re/select (1 rank, medians of %d runs) ==" % repeats)
    cells, steps = (40, 40, 20), 8
    base, plain, typed = [], [], []
    for _ in range(repeats):
        natoms, n, b = run("base.inc", cells, steps, 1, script="in.sic")
        _, _, p = run("sic_re.inc", cells, steps, 1, script="in.sic")
        _, _, t = run("sic_typed.inc", cells, steps, 1, script="in.sic")
        per = 1e6 / (natoms * n)
        base.append(b["Pair"] * per)
        plain.append(max(p["Modify"] - b["Modify"], 0.0) * per)
        typed.append(max(t["Modify"] - b["Modify"], 0.0) * per)
    m_b, m_p, m_t = statistics.median(base), statistics.median(plain), statistics.median(typed)
    print("%d atoms 3C-SiC: tersoff %.4f us per atom per step; re/atom %.4f us without types, %.4f us with "
          "types 1 1 1 1 2 2 2 2 (%.2f x)" % (natoms, m_b, m_p, m_t, m_t / m_p if m_p > 0 else float("nan")))
    print("   each run, without / with types: %s / %s" % (" ".join("%.4f" % v for v in plain),
                                                          " ".join("%.4f" % v for v in typed)))
    sys.stdout.flush()
    cells, steps = (20, 20, 10), 20
    # the paper's threshold (0.75 A): a crystal at this temperature rarely has an RE atom, so these
    # are checks; 2.4 A (above the 2.35 A bond): nearly every atom is RE, a frame at every step
    for opts, migrate in (("on re min_gap 1", 0.75), ("on hop", 0.75), ("on re min_gap 1", 2.4)):
        checks, frames, per_frame = [], [], []
        for _ in range(repeats):
            with tempfile.TemporaryDirectory() as tmp:
                sel = os.path.join(tmp, "frames.xyz")
                extra = ["-var", "selfile", sel, "-var", "selopts", opts, "-var", "migrate", str(migrate)]
                natoms, n, r = run("selbase.inc", cells, steps, 1, ["-var", "migrate", str(migrate)])
                _, _, s_ = run("sel.inc", cells, steps, 1, extra)
                # the frames of the timed run (steps 2 ..; the warm-up run is steps 0 and 1)
                steps_written = [int(m.group(1)) for m in re.finditer(r"\bstep=(\d+)", open(sel).read())] \
                    if os.path.exists(sel) else []
                written = sum(1 for st in steps_written if st >= 2)
            extra_s = max(s_["Modify"] - r["Modify"], 0.0)
            checks.append(extra_s * 1e6 / n)
            frames.append(written)
            per_frame.append(extra_s * 1e3 / max(written, 1))
        m_frames = statistics.median(frames)
        print("%d atoms SW Si, migrate %.2f, fix re/select 1 c_c %s: %.1f us per step above re/atom (%.4f us per "
              "atom); %d frames written in %d steps%s" %
              (natoms, migrate, opts, statistics.median(checks), statistics.median(checks) / natoms, m_frames, n,
               "; %.2f ms per written frame" % statistics.median(per_frame) if m_frames > 0 else ""))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
