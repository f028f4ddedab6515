"""scripts/make_sample_data.py: the shipped sample reproduces byte for byte, and any number of units
gives a complete, valid data folder (for measuring zsreport at a province's size)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.shipped import shipped_data
from zsreport import PROJECT_ROOT
from zsreport.ingest import load_dataset
from zsreport.ingest.dataset import Registry

SCRIPT = PROJECT_ROOT / "scripts" / "make_sample_data.py"


def make(out: Path, units: int) -> None:
    subprocess.run([sys.executable, str(SCRIPT), "--units", str(units), "--out", str(out)], check=True,
                   capture_output=True, cwd=out.parent)  # fmt: skip


def test_thirteen_units_reproduce_the_shipped_files(tmp_path: Path) -> None:
    make(tmp_path / "data", 13)
    written = sorted(p.relative_to(tmp_path / "data") for p in (tmp_path / "data").rglob("*.xlsx"))
    assert written and all(
        (tmp_path / "data" / p).read_bytes() == (shipped_data() / p).read_bytes() for p in written
    )


@pytest.mark.parametrize("units", [5, 27])
def test_any_number_of_units_is_a_valid_data_folder(tmp_path: Path, units: int) -> None:
    make(tmp_path / "data", units)
    registry = Registry.from_toml(tmp_path / "data" / "registry.toml")
    assert len(registry.unit_names) == units
    dataset = load_dataset(tmp_path / "data", 2020, 4)  # raises InputError on any problem
    assert list(dataset.plan.targets.index[1:]) == list(registry.unit_names)
    assert not [w for w in dataset.warnings if w.severity == "error"]


def test_a_province_city_bulletin_splits_its_unit_charts(tmp_path: Path) -> None:
    """At 120 units the 各县市区完成率 chart becomes three charts of 40 bars under one 图 number,
    captioned （一）（二）（三） (both renderers print every figure's label and caption)."""
    from zsreport.build import compose_all, prepare
    from zsreport.model import Figure, iter_blocks

    make(tmp_path / "data", 120)
    prepared = prepare(tmp_path / "data", 2020, 4)
    city = next(
        d for d in compose_all(prepared.figures, prepared.office, prepared.issuance) if d.meta.kind == "city"
    )
    figures = [b for b in iter_blocks(city) if isinstance(b, Figure)]
    split = [f for f in figures if f.caption.endswith(("（一）", "（二）", "（三）"))]
    assert [f.caption[-3:] for f in split] == ["（一）", "（二）", "（三）"]
    assert len({f.number for f in split}) == 1 and len({f.number for f in figures}) == len(figures) - 2
