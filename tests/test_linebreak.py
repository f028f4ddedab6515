"""The Chinese break opportunities both renderers mark for their layout engines."""

from __future__ import annotations

import pytest

from zsreport.linebreak import BREAK, mark_breaks, strip_breaks


@pytest.mark.parametrize(
    "text,breaks",
    [
        ("要落实“五个一”工作机制", ["要落实", "“五个一”", "工作机制"]),
        ("，“五个一”。", ["，", "“五个一”。"]),  # “ may follow a closing mark on the next line
        ("（“五个一”）", ["（“五个一”）"]),  # never after an opening mark, never before a closing one
        ("It’s “OK”", ["It’s “OK”"]),  # Latin text is left to the engine
        ("称‘一’字", ["称", "‘一’", "字"]),
        ("道路建设，1月底前通车。", ["道路建设，", "1月底前通车。"]),  # LibreOffice refuses "，|1"
        ("一是：5G基站；二是、A类", ["一是：", "5G基站；二是、", "A类"]),
        ("占比12.5%，其中", ["占比12.5%，其中"]),  # a 字 after "，" breaks anyway: no mark
        ("1,200万元", ["1,200万元"]),  # a half-width comma inside a number is not a clause end
    ],
)
def test_break_marks(text: str, breaks: list[str]) -> None:
    (marked,) = mark_breaks([text])
    assert marked.split(BREAK) == breaks
    assert strip_breaks(marked) == text


def test_a_mark_at_a_run_boundary_ends_the_earlier_run() -> None:
    assert mark_breaks(["完成目标，", "12", "个项目"]) == [f"完成目标，{BREAK}", "12", "个项目"]
    assert mark_breaks(["落实", "“五个一”", "工作"]) == [f"落实{BREAK}", f"“五个一”{BREAK}", "工作"]


def test_runs_keep_their_number_and_text() -> None:
    runs = ["一、", "", "总体情况，", "3", "家企业“落地”开工"]
    marked = mark_breaks(runs)
    assert len(marked) == len(runs)
    assert [strip_breaks(t) for t in marked] == runs
