"""Timings for `make bench`, all in one run. Speed is measured here, never asserted in a test.

1. The whole batch (PDF + DOCX + charts) of the latest shipped quarter, from a cold out/ folder:
   serial (--jobs 1) and on every core, wall and CPU seconds, and the speed-up.
2. LibreOffice converting the same DOCX to PDF in one call: the usual route, side by side.
3. A rebuild with nothing changed.
4. Scaling: 13, 40 and 120 units (scripts/make_sample_data.py --units N): CPU seconds per PDF page
   and the peak memory of one build process (serial, so the peak is one process's).

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
        scaled = scaling(args.units, scratch)

    print(f"zsreport bench: {year}Q{quarter}, {documents} documents, {pages} PDF pages, {cores} cores")
    print(f"  whole batch, serial (--jobs 1):    {serial.wall:6.1f} s wall  {serial.cpu:6.1f} CPU-s")
    print(f"  whole batch, {cores} processes:         {parallel.wall:6.1f} s wall  {parallel.cpu:6.1f} CPU-s"
          f"   speed-up {serial.wall / parallel.wall:.2f}×")  # fmt: skip
    if office:
        print(f"  LibreOffice, same DOCX, one call:  {office.wall:6.1f} s wall  {office.cpu:6.1f} CPU-s"
              f"   zsreport/LibreOffice wall ratio {parallel.wall / office.wall:.2f}")  # fmt: skip
    else:
        print("  LibreOffice: not installed (make test-system installs it)")
    print(f"  serial with --ofd:                 {with_ofd.wall:6.1f} s wall  {with_ofd.cpu:6.1f} CPU-s"
          f"   OFD adds {with_ofd.cpu - serial.cpu:.1f} CPU-s")  # fmt: skip
    print(f"  rebuild, nothing changed:          {unchanged.wall:6.2f} s wall")
    print("  scaling (serial, one process):")
    for n, measured, n_pages, n_docs in scaled:
        print(f"    {n:4d} units: {n_docs:4d} documents {n_pages:5d} pages  {measured.cpu / n_pages:5.3f} CPU-s/page"
              f"  peak {measured.peak_mb:6.0f} MB  ({measured.wall:.0f} s wall)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
