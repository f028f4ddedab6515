"""A hand-built document tree with every kind of block, for renderer tests that must not depend
on the data or the wording templates. The real bulletins come from ``zsreport.compose``."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from zsreport.model import (
    Attachment,
    Attendance,
    Cell,
    Colophon,
    DocMeta,
    Document,
    Figure,
    Heading,
    Letterhead,
    Mode,
    Paragraph,
    Run,
    Signoff,
    Table,
)

ORGAN_LINES = ("邵阳市推进湘南湘西承接产业转移示范区", "建设领导小组办公室")
HOSTILE_NAME = '<img src="http://example.invalid/x.png">{{ 7*7 }}&amp;项目'


def _tiny_chart() -> tuple[bytes, bytes]:
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.bar(["A", "B", "C"], [1, 3, 2])
    svg, png = io.BytesIO(), io.BytesIO()
    fig.savefig(svg, format="svg", metadata={"Date": None})
    fig.savefig(png, format="png", dpi=200)
    plt.close(fig)
    return svg.getvalue(), png.getvalue()


def demo_table(number: int = 1, rows: int = 13) -> Table:
    header = (
        (Cell("单位", rowspan=2), Cell("省外境内资金（亿元）", colspan=3), Cell("排名", rowspan=2)),
        (Cell("完成"), Cell("目标"), Cell("完成率")),
    )
    body = tuple(
        (
            Cell(f"单位{i}", align="left"),
            Cell(f"{10 + i:.2f}", align="right"),
            Cell(f"{12 + i:.2f}", align="right"),
            Cell(f"{(10 + i) / (12 + i) * 100:.1f}%", align="right"),
            Cell(str(i)),
        )
        for i in range(1, rows + 1)
    )
    total = (
        Cell("全市", bold=True),
        Cell("523.00", align="right"),
        Cell("600.00", align="right"),
        Cell("87.2%", align="right"),
        Cell("—"),
    )
    return Table(
        number=number,
        caption="各县市区省外境内资金完成情况",
        header=header,
        body=(total, *body),
        widths=(3, 2, 2, 2, 1),
        unit_note="单位：亿元",
        notes=("注：完成率＝累计完成÷年度目标。",),
    )


def demo_document(mode: Mode = Mode.FORMAL) -> Document:
    svg, png = _tiny_chart()
    body_text = (
        "2020年，全市各级各部门坚持以承接产业转移示范区建设为抓手，紧扣七大产业链精准招商，"
        "全市招商引资工作总体平稳、稳中有进。截至12月底，全市引进省外境内资金540.12亿元，"
        "完成年度目标的103.3%，超序时进度3.3个百分点，同比增长12.5%。"
    )
    body = (
        Paragraph.of(body_text),
        Heading(1, "一、", "总体情况"),
        Paragraph.of("全市新引进产业招商项目196个，完成年度目标的108.9%。"),
        Heading(2, "（一）", "主要指标完成情况"),
        Paragraph(runs=(Run("1.装备制造产业链。"), Run("新引进项目32个，总投资86.50亿元。"))),
        Heading(3, "1.", "三级标题"),
        Heading(4, "（1）", "四级标题"),
        Paragraph.of(f"重点项目{HOSTILE_NAME}推进顺利。"),
        demo_table(1, rows=13),
        Figure(
            number=1,
            caption="各县市区省外境内资金完成率",
            svg=svg,
            png=png,
            width_mm=150,
            height_mm=75,
            alt="完成率柱状图",
        ),
        Heading(1, "二、", "下步工作"),
        Paragraph.of("各县市区要对照年度目标，查漏补缺，确保全面完成全年任务。"),
    )
    letterhead = Letterhead(organ_lines=ORGAN_LINES, suffix="文件", doc_number="邵承办发〔2021〕1号")
    if mode is Mode.MINUTES:
        letterhead = Letterhead(
            organ_lines=("招商引资联席调度会纪要",),
            suffix="",
            doc_number="〔2021〕1号",
            minutes_organ="邵阳市承接产业转移示范区建设领导小组办公室",
            minutes_date="2021年1月8日",
        )
    return Document(
        meta=DocMeta(kind="city", year=2020, quarter=4, slug="demo", subject="demo"),
        mode=mode,
        letterhead=None if mode is Mode.PLAIN else letterhead,
        title_lines=("关于2020年第四季度全市招商引资", "工作推进情况的通报"),
        addressee="各县市区委、人民政府，邵阳经开区，市直和部省属驻邵各相关单位：",
        body=body,
        attendance=(Attendance("出席", "张三、李四（堃）、王五"),) if mode is Mode.MINUTES else (),
        signoff=Signoff(
            organ_lines=("邵阳市推进湘南湘西承接产业转移", "示范区建设领导小组办公室"), date="2021年1月8日"
        ),
        attachments=(
            Attachment(
                label="附件", title="2020年第四季度招商引资目标完成情况表", blocks=(demo_table(2, rows=30),)
            ),
        ),
        colophon=Colophon(
            printer="邵阳市承接产业转移示范区建设领导小组办公室",
            print_date="2021年1月8日",
            cc="市委办、市人大办、市政府办、市政协办。",
        ),
    )
