"""Timings for `make bench`: each pipeline step on the shipped data, median of a few runs.

Speed is measured here, never asserted in a unit test.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pypdf

from zsreport import DATA_DIR
from zsreport.build import compose_all, load_issuance
from zsreport.compose.documents import Office
from zsreport.compute import compute
from zsreport.ingest import available_quarters, load_dataset
from zsreport.render.docx import render_docx
from zsreport.render.pdf import render_pdf

RUNS = 3


def median_seconds(step: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    year, quarter = available_quarters(DATA_DIR)[-1]
    office = Office.from_toml(DATA_DIR / "office.toml")
    issuance = load_issuance(DATA_DIR, year, quarter)
    dataset = load_dataset(DATA_DIR, year, quarter)
    figures = compute(dataset)
    documents = compose_all(figures, office, issuance)
    rows = [
        (
            "load (plan, 4 quarters of actuals and ledgers)",
            median_seconds(lambda: load_dataset(DATA_DIR, year, quarter)),
        ),
        ("compute", median_seconds(lambda: compute(dataset))),
        (
            f"compose {len(documents)} documents (charts included)",
            median_seconds(lambda: compose_all(figures, office, issuance)),
        ),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        rows.append(
            (
                f"render {len(documents)} PDF",
                median_seconds(lambda: [render_pdf(d, out / f"{i}.pdf") for i, d in enumerate(documents)]),
            )
        )
        rows.append(
            (
                f"render {len(documents)} DOCX",
                median_seconds(lambda: [render_docx(d, out / f"{i}.docx") for i, d in enumerate(documents)]),
            )
        )
        pages = sum(len(pypdf.PdfReader(out / f"{i}.pdf").pages) for i in range(len(documents)))
    print(f"zsreport bench: {year}Q{quarter}, median of {RUNS} runs, {pages} PDF pages")
    for label, seconds in rows:
        print(f"  {seconds:7.3f} s  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
