"""The problem report: numbered blocks, wrapped for a Chinese text width, nothing ever cut."""

from __future__ import annotations

import itertools

from zsreport.ingest import format_problems
from zsreport.ingest.dataset import Problem
from zsreport.ingest.problems import text_width


def test_format_problems_blocks():

    text = format_problems(
        [
            Problem("warning", "a.xlsx", "S", "B2", "空白", "本年累计完成数", "暂按 0 计算。"),
            Problem(
                "error",
                "data/2020/季度完成情况.xlsx",
                "完成情况",
                "E7",
                "邵东市的“省外境内资金（亿元）”填的是“二十”",
                "数字（单位：亿元）",
                "只填写阿拉伯数字和小数点，如“20.5”。",
            ),
        ]
    )
    lines = text.splitlines()
    assert lines[:6] == [
        "【错误 1】须改正后才能生成公文",
        "  文件：data/2020/季度完成情况.xlsx",
        "  位置：工作表“完成情况”，单元格 E7",
        "  发现：邵东市的“省外境内资金（亿元）”填的是“二十”",
        "  应为：数字（单位：亿元）",
        "  修改方法：只填写阿拉伯数字和小数点，如“20.5”。",
    ]
    assert lines[7] == "【警告 1】不影响生成，请核实"
    assert lines[-1] == "共 1 个错误、1 个警告。"
    assert format_problems([]) == "未发现问题。"
    assert str(Problem("error", "a.xlsx", "S", "B2", "“x”", "数字", "请改正。")) == (
        "错误：文件 a.xlsx，工作表“S”，单元格 B2。发现：“x”；应为：数字；修改方法：请改正。"
    )


def test_format_problems_never_cuts_a_long_message():

    found = (
        "项目“"
        + "邵阳经济开发区智能制造产业园标准化厂房及配套基础设施建设" * 3
        + "”的计划总投资填的是“约二十亿元”"
    )
    expected = "数字（单位：亿元），" + "不超过计划总投资且与项目库中同名项目一致的金额，" * 4
    fix = (
        "只填写阿拉伯数字和小数点，如“20.5”；不要填写汉字、文字说明或其他符号。"
        + "请同时核对 data/2020/2020Q4/项目库.xlsx 中的同名项目，"
        + "确认两处填写一致后再运行一次。" * 5
    )
    path = "data/2020/2020Q4/" + "很长的文件名" * 12 + ".xlsx"
    problem = Problem("error", path, "项目库", "E12", found, expected, fix)
    text = format_problems([problem])
    assert "…" not in text
    # every line within 80 columns, but a path: never broken (issue 22)
    assert all(text_width(line) <= 80 or path in line for line in text.splitlines())
    assert [line for line in text.splitlines() if path in line] == [f"  文件：{path}"]
    joined = "".join(line.strip() for line in text.splitlines())  # the wrapped lines joined up
    for part in (found, expected, fix.replace(" ", ""), path):
        assert part.replace(" ", "") in joined.replace(" ", "")
    assert text.splitlines()[-1] == "共 1 个错误、0 个警告。"
    # the same message in a report 40 columns wide: more lines, still nothing dropped
    narrow = format_problems([problem], width=40)
    assert all(text_width(line) <= 40 or path in line for line in narrow.splitlines())
    assert fix.replace(" ", "") in "".join(line.strip() for line in narrow.splitlines()).replace(" ", "")
    # a closing mark never starts a line, an opening mark never ends one
    for line in narrow.splitlines():
        assert line.strip()[:1] not in set("，。、；）”"), line
        assert line[-1:] not in set("（“"), line


def test_a_long_message_never_breaks_inside_a_unit_name() -> None:
    from zsreport.ingest.problems import wrap

    text = (
        "请核对"
        + "、".join(["邵阳经开区", "邵东市", "新邵县", "隆回县", "武冈市", "洞口县", "邵阳县"] * 3)
        + "的填报数"
    )
    for width in range(16, 60):
        lines = wrap(text, width)
        assert "".join(lines) == text
        for before, after in itertools.pairwise(lines):
            assert not (before.endswith("邵") and after.startswith("阳")), (width, before, after)
            assert not (before[-1:] in "邵新隆武洞" and after[:1] in "阳东邵回冈口"), (width, before, after)
