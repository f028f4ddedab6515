"""Does a document's text say what its own tables show? Each check reads a sentence of the composed
document and the rows of one of its tables, and returns what disagrees (empty: nothing).

The checks read the printed strings only (table cells as they will be printed), never the figures
the sentences were made from, so a wording that misreads the figures is caught."""

from __future__ import annotations

import re

from zsreport.model import Document, Paragraph, Table, iter_blocks

_GAP = re.compile(
    r"(超序时进度|落后序时进度|超额完成年度目标|距年度目标还差)([\d.]+)个百分点|与序时进度持平|恰好完成年度目标"
)
BEHIND_WORDS = ("落后序时进度", "距年度目标还差")


def paragraphs(document: Document) -> list[str]:
    return [b.text for b in iter_blocks(document) if isinstance(b, Paragraph)]


def table(document: Document, caption: str) -> Table | None:
    return next((b for b in iter_blocks(document) if isinstance(b, Table) and b.caption == caption), None)


def column(t: Table, name: str) -> int:
    return next(i for i, c in enumerate(t.header[-1]) if c.text.startswith(name))


def _gap_value(text: str) -> float | None:
    """A printed 较序时进度 cell (+3.2 / -4.0 / 0.0 / —) as a number."""
    return None if text == "—" else float(text)


def _phrase_value(match: re.Match) -> float:
    if match.group(1) is None:
        return 0.0
    value = float(match.group(2))
    return -value if match.group(1) in BEHIND_WORDS else value


def key_project_sentences(document: Document, caption: str) -> list[str]:
    """The 阶段性进展 / 新纳入 / 均未 sentences against the 进展 column of the key-project table."""
    t = table(document, caption)
    if t is None:
        return []
    col = column(t, "进展")
    cells = [row[col].text for row in t.body]
    moved = [row for row in t.body if "→" in row[col].text]
    fresh = sum("（本季度新增）" in c for c in cells)
    text = "".join(paragraphs(document))
    wrong = []
    compared = "较上季度" in t.header[-1][col].text or any("→" in c or "新增" in c for c in cells)
    stated = re.search(r"(\d+)个(?:重点)?项目(?:取得阶段性进展|进入新阶段)", text)
    if stated and int(stated.group(1)) != len(moved):
        wrong.append(f"text says {stated.group(0)}, the table shows {len(moved)} changes")
    if moved and not stated and caption == "重点项目推进情况":
        wrong.append(f"the table shows {len(moved)} stage changes, the text does not say so")
    listed = re.search(r"取得阶段性进展，(.+?)等?进入新的建设阶段", text)
    if listed:
        moved_names = {row[1].text if caption == "重点项目推进情况" else row[2].text for row in moved}
        wrong += [
            f"{n} is said to have moved on" for n in listed.group(1).split("、") if n not in moved_names
        ]
    new = re.search(r"新纳入(?:重点|调度)项目(\d+)个", text)
    if (int(new.group(1)) if new else 0) != fresh and (new or caption == "重点项目推进情况"):
        wrong.append(f"text says {new.group(0) if new else 'nothing new'}, the table shows {fresh} new")
    if "均未取得阶段性进展" in text and (moved or fresh):
        wrong.append("text says no project progressed, the table shows changes or new projects")
    if "其余重点项目均未进入新的建设阶段" in text and moved:
        wrong.append("text says the others did not move, the table shows changes")
    if not compared:
        for phrase in ("阶段性进展", "新纳入", "进入新阶段", "本季度新增", "均为本季度"):
            if phrase in text:
                wrong.append(f"no last quarter to compare with, yet the text says {phrase}")
    return wrong


def unit_names_in(text: str, names: tuple[str, ...]) -> list[str]:
    return [n for n in names if n in text]


def ranking_sentence(document: Document, label: str, caption: str, names: tuple[str, ...]) -> list[str]:
    """从{label}完成情况看，A、B等N个单位达到…；C、D M个单位落后… against the ranking table."""
    t = table(document, caption)
    sentence = next((p for p in paragraphs(document) if p.startswith(f"从{label}完成情况看")), None)
    if t is None or sentence is None:
        return []
    gap_col, rank_col = column(t, "较序时进度"), column(t, "排名")
    gaps = {row[1].text: _gap_value(row[gap_col].text) for row in t.body}
    ranks = {row[1].text: row[rank_col].text for row in t.body}
    wrong = []
    body, _, tail = sentence.partition("完成率排名前三的是")
    for part in body.split("；"):
        if "未下达年度目标" in part:  # units without a target: neither ahead nor behind
            wrong += [
                f"{n} has a target, yet is said to have none"
                for n in unit_names_in(part, names)
                if gaps[n] is not None
            ]
            continue
        behind = any(w in part for w in ("落后序时进度", "未完成年度目标"))
        named = unit_names_in(part, names)
        for name in named:
            gap = gaps[name]
            if gap is None or (gap < 0) != behind:
                wrong.append(f"{name} is said to be {'behind' if behind else 'on time'}, its row shows {gap}")
        count = re.search(r"(\d+)个单位", part)
        if count and named and int(count.group(1)) != len(named):
            wrong.append(f"{part}: counts {count.group(1)}, names {len(named)}")
        expected = [n for n in names if gaps.get(n) is not None and (gaps[n] < 0) == behind]
        if named and sorted(named) != sorted(expected):
            wrong.append(f"{part}: names {named}, the table shows {expected}")
    if tail:
        top = unit_names_in(tail, names)
        in_table = [n for n in names if ranks.get(n, "—") != "—" and int(ranks[n]) <= 3]
        if sorted(top) != sorted(in_table):
            wrong.append(f"top three named {top}, the table ranks {in_table} within three")
    return wrong


def overview_sentence(document: Document, subject: str, label: str, caption: str) -> list[str]:
    """截至…，{subject}引进{label}X亿元，完成年度目标的Y%，<gap phrase> against the overview table."""
    t = table(document, caption)
    if t is None:
        return []
    row = next(r for r in t.body if r[0].text == label)
    rate, gap = row[column(t, "完成率")].text, _gap_value(row[column(t, "较序时进度")].text)
    for text in paragraphs(document):
        found = re.search(rf"{subject}引进{label}([\d.]+)亿元，完成年度目标的([\d.]+%)，", text)
        if found:
            phrase = _GAP.match(text, found.end())
            wrong = []
            if found.group(1) != row[column(t, "累计完成")].text or found.group(2) != rate:
                wrong.append(
                    f"{found.group(0)} against the table's {row[column(t, '累计完成')].text}, {rate}"
                )
            if phrase is None or gap is None or _phrase_value(phrase) != gap:
                wrong.append(f"gap phrase {phrase and phrase.group(0)} against the table's {gap}")
            if "总体进展顺利" in "".join(paragraphs(document)) and (gap is None or gap < 0):
                wrong.append("总体进展顺利, yet the table shows the city behind")
            if "进度仍需加快" in "".join(paragraphs(document)) and gap is not None and gap >= 0:
                wrong.append("进度仍需加快, yet the table shows the city on time")
            return wrong
    return [f"no sentence on {subject}'s {label}"]


def unit_behind_sentence(document: Document, unit: str) -> list[str]:
    """A unit bulletin's "X、Y N项指标落后序时进度" against its own indicator table."""
    t = table(document, f"{unit}主要指标完成情况及全市排名")
    if t is None:
        return []
    gap_col = column(t, "较序时进度")
    behind = [row[0].text for row in t.body if (g := _gap_value(row[gap_col].text)) is not None and g < 0]
    text = "".join(paragraphs(document))
    stated = re.search(r"(\d+)项指标(落后序时进度|未完成年度目标)", text)
    if stated and int(stated.group(1)) != len(behind):
        return [f"{unit}: text says {stated.group(0)}, the table shows {behind}"]
    if "均达到序时进度" in text or "均完成年度目标" in text:
        return [f"{unit}: text says all on time, the table shows {behind}"] if behind else []
    if not stated and behind:
        return [f"{unit}: the table shows {behind} behind, the text does not say so"]
    return []
