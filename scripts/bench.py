"""Timings for `make bench`, all in one run. Speed is measured here, never asserted in a test.

1. The whole batch (PDF + DOCX + charts) of the latest shipped quarter, from a cold out/ folder:
   serial (--jobs 1) and on every core, wall and CPU seconds, and the speed-up; whether the files
   of the two are byte for byte the same.
2. LibreOffice converting the same DOCX to PDF in one call: the usual route, side by side with the
   batch on every core (issue 25's goal: batch wall at most 2× LibreOffice's, a ratio ≥ 0.5).
3. A rebuild with nothing changed.
4. Scaling: 13, 40 and 120 units (scripts/make_sample_data.py --units N): CPU seconds per PDF page
   and the peak memory of one build process (serial, so the peak is one process's).
5. A serial build profiled in CPU time (cProfile): the weasyprint layouts counted by reason, and the
   profile's top lines by cumulative time (``--no-profile`` leaves it out).

    make bench                      # everything
    python scripts/bench.py --units 13 40   # fewer scaling points
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "zsreport" / "data"  # the shipped sample


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float  # user + system of the command and every process it started
    peak_mb: float  # the largest resident set of any of those processes


# Runs the command in a process of its own, whose rusage then covers that command alone (its
# children included): the peak memory of one run, not the largest of every run so far.
MEASURE = (
    "import json, resource, subprocess, sys;"
    "rc = subprocess.run(sys.argv[1:]).returncode;"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN);"
    "print(json.dumps([rc, u.ru_utime + u.ru_stime, u.ru_maxrss]), file=sys.stderr); sys.exit(rc)"
)


# Runs `zsreport build …` under cProfile in CPU time (waits on a busy machine left out), counts the
# weasyprint layouts by the reason each one's debug line gives (measuring, trial, final), and
# prints the counts and the profile's top lines by cumulative time.
PROFILED_BUILD = """
import collections, cProfile, io, logging, pstats, runpy, sys, time

reasons = collections.Counter()

class Count(logging.Handler):
    def emit(self, record):
        why = record.getMessage().partition(": layout (")[2].rstrip(")")
        if why:
            reasons[why.split(":")[0].split(" ")[0]] += 1  # measuring, trial, final

layouts = logging.getLogger("zsreport.render.pdf.layout")
layouts.setLevel(logging.DEBUG)
layouts.addHandler(Count())
top, strip = int(sys.argv[1]), sys.argv[2:4]
sys.argv = ["zsreport", *sys.argv[4:]]
profile = cProfile.Profile(time.process_time)
try:
    profile.runcall(runpy.run_module, "zsreport", run_name="__main__", alter_sys=True)
except SystemExit as exit:
    if exit.code:
        raise
total = sum(reasons.values())
print(f"LAYOUTS {total} (" + ", ".join(f"{n} {why}" for why, n in sorted(reasons.items())) + ")")
text = io.StringIO()
pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(top)
for prefix in strip:
    text = io.StringIO(text.getvalue().replace(prefix, ""))
print(text.getvalue())
"""


def run(command: list[str], cwd: Path = ROOT) -> Run:
    """Run ``command`` to completion; its wall time, CPU time and peak memory (from rusage)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    rc, cpu, peak_kb = json.loads(done.stderr.strip().splitlines()[-1])
    if rc != 0:
        sys.exit(f"bench: {' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return Run(wall, cpu, peak_kb / 1024)


def zsreport(*args: str) -> list[str]:
    return [sys.executable, "-m", "zsreport", *args]


def pages_of(folder: Path) -> int:
    import pikepdf

    total = 0
    for path in folder.glob("*.pdf"):
        with pikepdf.open(path) as pdf:
            total += len(pdf.pages)
    return total


def latest_quarter(data: Path) -> tuple[int, int]:
    from zsreport.ingest import available_quarters

    return available_quarters(data)[-1]


def build(data: Path, out: Path, jobs: int, *extra: str) -> Run:
    year, quarter = latest_quarter(data)
    shutil.rmtree(out, ignore_errors=True)
    return run(zsreport("build", "--data", str(data), "--out", str(out), "--year", str(year),
                        "--quarter", str(quarter), "--jobs", str(jobs), "--quiet", *extra))  # fmt: skip


def libreoffice(docx_folder: Path, scratch: Path) -> Run | None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        return None
    profile = scratch / "lo-profile"
    files = sorted(str(p) for p in docx_folder.glob("*.docx"))
    command = [office, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
               "--outdir", str(scratch / "lo-pdf"), *files]  # fmt: skip
    run(command)  # first start creates the profile: not part of the measurement
    return run(command)


def same_files(serial: Path, parallel: Path) -> tuple[int, list[str]]:
    """How many PDF and DOCX files the two sets hold, and the names of those whose bytes differ."""
    names = sorted(p.name for p in serial.iterdir() if p.suffix in (".pdf", ".docx"))
    return len(names), [name for name in names if not same_bytes(serial / name, parallel / name)]


def same_bytes(one: Path, other: Path) -> bool:
    return other.is_file() and one.read_bytes() == other.read_bytes()


# Profile lines of the interpreter and the command line around the build: left out.
WRAPPERS = ("<frozen runpy>", "builtins.exec", "zsreport/__main__.py", "zsreport/cli/__init__.py")


def profiled(data: Path, out: Path, top: int) -> tuple[str, list[str]]:
    """A serial build profiled in CPU time: its layouts by reason, and the profile's top lines."""
    import weasyprint

    year, quarter = latest_quarter(data)
    site = str(Path(weasyprint.__file__).parent.parent) + "/"  # shown shorter
    command = [sys.executable, "-c", PROFILED_BUILD, str(top), site, str(ROOT) + "/", "build", "--data",
               str(data), "--out", str(out), "--year", str(year), "--quarter", str(quarter), "--jobs", "1",
               "--quiet"]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"bench: the profiled build failed:\n{done.stderr[-3000:]}")
    lines = done.stdout.splitlines()
    counted = next((line.removeprefix("LAYOUTS ") for line in lines if line.startswith("LAYOUTS ")), "?")
    start = next((i for i, line in enumerate(lines) if "function calls" in line), len(lines))
    table = [line for line in lines[start:] if line.strip() and not any(w in line for w in WRAPPERS)]
    return counted, table


def scaling(units: list[int], scratch: Path) -> list[tuple[int, Run, int, int]]:
    rows = []
    for n in units:
        data = scratch / f"data{n}"
        if n == 13:
            data = DATA
        else:
            run([sys.executable, str(ROOT / "scripts" / "make_sample_data.py"), "--units", str(n),
                 "--out", str(data)], cwd=scratch)  # fmt: skip
        out = scratch / f"out{n}"
        measured = build(data, out, jobs=1)
        folder = next(out.iterdir())
        rows.append((n, measured, pages_of(folder), len(list(folder.glob("*.pdf")))))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, nargs="*", default=[13, 40, 120], help="scaling points")
    parser.add_argument("--top", type=int, default=30, help="profile lines shown (cumulative time)")
    parser.add_argument("--no-profile", action="store_true", help="leave the profiled build out")
    args = parser.parse_args(argv)
    cores = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory(prefix="zsreport-bench-") as tmp:
        scratch = Path(tmp)
        year, quarter = latest_quarter(DATA)
        out = scratch / "out"
        serial = build(DATA, scratch / "serial", jobs=1)
        with_ofd = build(DATA, scratch / "ofd", 1, "--ofd")
        parallel = build(DATA, out, jobs=cores)
        folder = out / f"{year}Q{quarter}"
        pages, documents = pages_of(folder), len(list(folder.glob("*.pdf")))
        unchanged = run(zsreport("build", "--data", str(DATA), "--out", str(out), "--year", str(year),
                                 "--quarter", str(quarter), "--quiet"))  # fmt: skip
        office = libreoffice(folder, scratch)
        count, differ = same_files(scratch / "serial" / f"{year}Q{quarter}", folder)
        scaled = scaling(args.units, scratch)
        layouts, profile = ("", []) if args.no_profile else profiled(DATA, scratch / "profiled", args.top)

    print(f"zsreport bench: {year}Q{quarter}, {documents} documents, {pages} PDF pages, {cores} cores")
    print(f"  whole batch, serial (--jobs 1):    {serial.wall:6.1f} s wall  {serial.cpu:6.1f} CPU-s")
    print(f"  whole batch, {cores} processes:         {parallel.wall:6.1f} s wall  {parallel.cpu:6.1f} CPU-s"
          f"   speed-up {serial.wall / parallel.wall:.2f}×")  # fmt: skip
    if office:
        print(f"  LibreOffice, same DOCX, one call:  {office.wall:6.1f} s wall  {office.cpu:6.1f} CPU-s")
        print(f"  batch wall / LibreOffice wall: {parallel.wall / office.wall:.2f}×"
              f"   ratio LibreOffice/batch {office.wall / parallel.wall:.2f} (goal ≥ 0.5; ahead ≥ 1.0)")  # fmt: skip
    else:
        print("  LibreOffice: not installed (make test-system installs it)")
    same = "byte-identical" if not differ else f"{len(differ)} differ: {', '.join(differ)}"
    print(f"  {cores} processes against the serial build: {count} PDF and DOCX files, {same}")
    print(f"  serial with --ofd:                 {with_ofd.wall:6.1f} s wall  {with_ofd.cpu:6.1f} CPU-s"
          f"   OFD adds {with_ofd.cpu - serial.cpu:.1f} CPU-s")  # fmt: skip
    print(f"  rebuild, nothing changed:          {unchanged.wall:6.2f} s wall")
    print("  scaling (serial, one process):")
    for n, measured, n_pages, n_docs in scaled:
        print(f"    {n:4d} units: {n_docs:4d} documents {n_pages:5d} pages  {measured.cpu / n_pages:5.3f} CPU-s/page"
              f"  peak {measured.peak_mb:6.0f} MB  ({measured.wall:.0f} s wall)")  # fmt: skip
    if profile:
        print(f"  profiled serial build (cProfile, CPU time), weasyprint layouts: {layouts}")
        print("\n".join(f"    {line}" for line in profile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
