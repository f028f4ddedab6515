"""The chart cache (``compose.chart_cache``): every chart of a build is drawn once, a chart whose
data or style changed is drawn again, and a damaged entry is never used.

"Drawn" is counted at ``charts._save``, which every chart passes through exactly once when it is
actually drawn (laid out, then saved as SVG and PNG)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from zsreport.build import BuildResult, compose_all, prepare
from zsreport.compose import chart_cache, charts
from zsreport.model import Figure

UNITS = ("邵阳经开区", "邵东市", "新邵县")
RATES = (1.032, 0.688, None)


@pytest.fixture
def saves(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The alt text of every chart actually drawn, in order."""
    drawn: list[str] = []
    save = charts._save

    def counting_save(fig, height_mm, alt):
        drawn.append(alt)
        return save(fig, height_mm, alt)

    monkeypatch.setattr(charts, "_save", counting_save)
    return drawn


def _chart(rates: tuple[float | None, ...] = RATES) -> charts.ChartImage:
    return charts.completion_by_unit(UNITS, rates, 0.75, "省外境内资金")


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{chart_cache.SUFFIX}"))


def test_without_a_session_every_call_draws(saves: list[str]) -> None:
    _chart()
    _chart()
    assert len(saves) == 2


def test_a_chart_asked_twice_in_one_build_is_drawn_once(saves: list[str]) -> None:
    """Two documents showing the same chart share one drawing, even without a cache folder."""
    with chart_cache.session() as session:
        first, second = _chart(), _chart()
    assert len(saves) == 1 and session.drawn == 1 and session.from_memory == 1
    assert first == second


def test_the_shipped_set_draws_each_chart_once_and_a_rebuild_none(
    shipped: Path, tmp_path: Path, saves: list[str]
) -> None:
    prepared = prepare(shipped, 2020, 4)
    args = (prepared.figures, prepared.office, prepared.issuance)
    documents = compose_all(*args, chart_cache=tmp_path)
    figures = [b for d in documents for b in d.body if isinstance(b, Figure)]
    distinct = {(f.svg, f.png) for f in figures}
    assert len(figures) >= 16 and len(saves) == len(distinct) == len(_entries(tmp_path))
    assert len(saves) == len(set(saves)), "a chart was drawn twice"

    saves.clear()
    again = compose_all(*args, chart_cache=tmp_path)
    assert saves == []  # nothing drawn: every chart came from the folder
    assert again == documents


def test_changed_data_is_drawn_again_never_taken_from_the_cache(tmp_path: Path, saves: list[str]) -> None:
    with chart_cache.session(tmp_path):
        before = _chart()
    with chart_cache.session(tmp_path):
        after = _chart((1.032, 0.698, None))  # one rate changed by a tenth of a point
    assert len(saves) == 2 and len(_entries(tmp_path)) == 2
    assert "69.8%" not in before.alt and after.svg != before.svg and after.png != before.png
    assert after == _chart((1.032, 0.698, None))  # what a fresh drawing gives


def test_a_changed_style_is_drawn_again(
    tmp_path: Path, saves: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with chart_cache.session(tmp_path):
        _chart()
    style = charts._style()
    monkeypatch.setattr(charts, "_style", lambda: style + " with another look")
    with chart_cache.session(tmp_path):
        _chart()
    assert len(saves) == 2


def test_the_style_key_follows_the_face_files_and_the_code(tmp_path: Path) -> None:
    face, code = tmp_path / "face.otf", tmp_path / "charts.py"
    face.write_bytes(b"a face")
    code.write_text("DARK_BLUE = 1")
    key = chart_cache.style_key([str(code)], [156.0], [(str(face), 0)])
    os.utime(face, ns=(1, 1))  # the font updated in place
    assert chart_cache.style_key([str(code)], [156.0], [(str(face), 0)]) != key
    assert chart_cache.style_key([str(code)], [160.0], [(str(face), 0)]) != key
    chart_cache._source_digest.cache_clear()
    code.write_text("DARK_BLUE = 2")
    assert chart_cache.style_key([str(code)], [156.0], [(str(face), 0)]) != key


def _damage_flip(data: bytes) -> bytes:
    return data[:-100] + bytes([data[-100] ^ 0x01]) + data[-99:]


def _damage_truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _damage_garbage(data: bytes) -> bytes:
    return b"\x00" * len(data)


@pytest.mark.parametrize("damage", [_damage_flip, _damage_truncate, _damage_garbage])
def test_a_damaged_entry_is_drawn_again_and_replaced(tmp_path: Path, saves: list[str], damage) -> None:
    with chart_cache.session(tmp_path):
        good = _chart()
    (entry,) = _entries(tmp_path)
    entry.write_bytes(damage(entry.read_bytes()))
    with chart_cache.session(tmp_path) as session:
        again = _chart()
    assert len(saves) == 2 and session.drawn == 1 and session.from_folder == 0
    assert again == good
    assert chart_cache.load(tmp_path, entry.name.removesuffix(chart_cache.SUFFIX)) is not None  # rewritten


def test_another_charts_entry_under_this_key_is_not_used(tmp_path: Path, saves: list[str]) -> None:
    """A sound entry copied under another chart's name (its recorded key differs) is refused."""
    with chart_cache.session(tmp_path):
        _chart()
        other = _chart((0.5, 0.5, 0.5))
    first, second = _entries(tmp_path)
    first.write_bytes(second.read_bytes())
    with chart_cache.session(tmp_path):
        images = [_chart(), _chart((0.5, 0.5, 0.5))]
    assert len(saves) == 3  # the damaged one drawn again, the other found
    assert images[1] == other and images[0] != other


def test_the_folder_is_trimmed_to_its_limit_oldest_first(tmp_path: Path) -> None:
    parts = (b"<svg/>" * 100, b"png" * 100, 156.0, 50.0, "alt")
    for n in range(5):
        chart_cache.store(tmp_path, f"{n:064x}", parts)
        os.utime(chart_cache._entry(tmp_path, f"{n:064x}"), ns=(n * 10**9, n * 10**9))
    left_over = tmp_path / ".x.chart.abc.part"
    left_over.write_bytes(b"half")
    os.utime(left_over, ns=(0, 0))
    size = chart_cache._entry(tmp_path, f"{0:064x}").stat().st_size
    chart_cache.trim(tmp_path, limit=2 * size)
    assert [p.name[:64] for p in _entries(tmp_path)] == [f"{3:064x}", f"{4:064x}"]
    assert not left_over.exists()


def test_a_folder_that_cannot_be_written_only_costs_drawing(tmp_path: Path, saves: list[str]) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with chart_cache.session(blocked / "charts"):
        image = _chart()
    assert image.svg.startswith(b"<?xml") and len(saves) == 1


def test_the_build_keeps_its_charts_outside_the_set(built: BuildResult) -> None:
    """out/.cache/charts holds the set's charts; nothing of it is among the files the set lists."""
    folder = built.out_dir.parent / ".cache" / "charts"
    entries = _entries(folder)
    svgs = {b.svg for d in built.documents for b in d.body if isinstance(b, Figure)}
    stored = {chart_cache.load(folder, p.name.removesuffix(chart_cache.SUFFIX))[0] for p in entries}
    assert svgs and svgs <= stored
    assert all(".cache" not in path.parts for path in built.files)
    assert ".cache" not in (built.out_dir / "build.json").read_text(encoding="utf-8")
