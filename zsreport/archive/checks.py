"""What ``issue`` checks in a built set before anything is archived.

It believes nothing in ``build.json`` it has not checked: every file must still be the file the
build wrote (checksum), the inputs must still be the files in ``data/`` (else the set is stale),
and each PDF must print, on its first page, exactly the 发文字号 and the title it is recorded under.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from zsreport.archive.errors import ArchiveError
from zsreport.archive.ofd import OfdUnreadable, ofd_identity
from zsreport.atomic import sha256_file

BUILD_RECORD = "build.json"  # written by zsreport.build
_SPACE = re.compile(r"[\s\u200b]+")


def read_build_record(out_dir: Path) -> dict:
    path = out_dir / BUILD_RECORD
    if not path.exists():
        raise ArchiveError(f"{out_dir} 中没有 {BUILD_RECORD}：请先生成（make bulletin），检查无误后再归档。")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        for key in ("year", "quarter", "inputs", "documents", "files"):
            record[key]
    except (ValueError, KeyError, TypeError) as exc:
        raise ArchiveError(
            f"{path} 已损坏或来自旧版本（{exc}），无法据此归档。请重新生成（make bulletin）后再归档。"
        ) from exc
    return record


def check_not_sample(out_dir: Path, record: dict) -> None:
    """A set built from the shipped 2020 sample (no data/ folder where zsreport ran) is never issued."""
    if record.get("sample"):
        raise ArchiveError(
            f"{out_dir} 是用自带的示例数据生成的（每份公文标有“示例数据，不得印发”），不能归档印发。"
            "请在 data 文件夹放入本单位的数据，重新生成后再归档。"
        )


def check_not_draft(out_dir: Path, record: dict) -> None:
    """A 征求意见稿 (``build --draft``: a partial collection, or a set for comment) is never issued:
    it prints no 发文字号 and its figures may leave units out."""
    draft = record.get("draft")
    if not draft:
        return
    missing = "、".join(draft.get("unreported", []))
    why = f"，{missing}未报送" if missing else ""
    raise ArchiveError(
        f"{out_dir} 是征求意见稿（build --draft 生成{why}），不能作为正式公文归档。"
        + ("请收齐各单位报表后运行 collect --replace 重新汇总，" if missing else "请")
        + "不加 --draft 重新生成，核对后再归档。"
    )


def check_set_intact(out_dir: Path, record: dict) -> None:
    """Every file of the set is the one the build wrote, and nothing is missing."""
    problems = []
    for name, digest in record["files"].items():
        path = out_dir / name
        if not path.exists():
            problems.append(f"缺少 {name}")
        elif sha256_file(path) != digest:
            problems.append(f"{name} 在生成之后被改动或替换过")
    listed = {name for d in record["documents"] for name in d["files"]}
    problems += [f"{name} 不在本次生成的文件清单中" for name in sorted(listed - set(record["files"]))]
    if problems:
        raise ArchiveError(
            f"{out_dir} 不是一次完整生成的文件："
            + "；".join(problems)
            + "。请重新生成（make bulletin）后再归档。"
        )


def check_inputs_fresh(record: dict, data_dir: Path) -> None:
    """Refuse a stale set: every input must still be, byte for byte, what the build read."""
    changed = []
    for item in record["inputs"]:
        path = data_dir / item["path"]
        if not path.exists():
            changed.append(f"{item['path']}（已不存在）")
        elif sha256_file(path) != item["sha256"]:
            changed.append(f"{item['path']}（生成之后被修改过）")
    if changed:
        raise ArchiveError(
            "输入文件在生成之后有变化，已生成的公文可能与数据不符，不能归档："
            + "；".join(changed)
            + f"。请重新生成（make bulletin，数据目录 {data_dir}），核对后再归档。"
        )


HEAD_SHARE = 0.5  # the 版头 (发文字号 included) lies in the upper half of page 1 (GB/T 9704 §7.2)


def first_page(pdf: Path) -> tuple[str, str]:
    """Page 1's text as (upper half, whole page), without spaces or break marks."""
    import pdfplumber

    try:
        with pdfplumber.open(pdf) as document:
            page = document.pages[0]
            head = page.crop((0, 0, page.width, page.height * HEAD_SHARE)).extract_text() or ""
            return _SPACE.sub("", head), _SPACE.sub("", page.extract_text() or "")
    except Exception as exc:  # a damaged file raises many kinds
        raise ArchiveError(f"{pdf.name} 无法读取（{exc}）。请重新生成后再归档。") from exc


def _series(doc_number: str) -> str:
    return doc_number.partition("〔")[0]


def _ofd_problems(out_dir: Path, document: dict) -> list[str]:
    """An OFD beside the PDF must name, in its DocInfo, the 文号 and title the PDF prints."""
    problems = []
    for name in (f for f in document["files"] if f.endswith(".ofd")):
        try:
            title, number = ofd_identity(out_dir / name)
        except OfdUnreadable as exc:
            problems.append(f"{name} 无法读取（{exc}）")
            continue
        if number != document["doc_number"]:
            problems.append(
                f"{name} 记载的发文字号是 {number or '无'}，生成记录中是 {document['doc_number'] or '无'}"
            )
        if title != document["title"]:
            problems.append(f"{name} 记载的标题是“{title}”，生成记录中是“{document['title']}”")
    return problems


def check_printed_numbers(out_dir: Path, record: dict) -> None:
    """Read each PDF's first page back: it must print its recorded 文号 in the 版头, no other number
    of that series, and its title."""
    problems = []
    for document in record["documents"]:
        pdf = next((out_dir / f for f in document["files"] if f.endswith(".pdf")), None)
        if pdf is None:
            continue
        head, text = first_page(pdf)
        number = document["doc_number"]
        if number:
            series = re.compile(re.escape(_series(number)) + r"〔\d{4}〕\d+号")
            printed = sorted(set(series.findall(head)))
            if printed != [number]:
                shown = "、".join(printed) or "无"
                problems.append(f"{pdf.name} 版头印的发文字号是 {shown}，生成记录中是 {number}")
        if _SPACE.sub("", document["title"]) not in text:
            problems.append(f"{pdf.name} 首页找不到记录的标题“{document['title']}”")
        problems += _ofd_problems(out_dir, document)
    if problems:
        raise ArchiveError("公文与生成记录不符，不能归档：" + "；".join(problems) + "。请重新生成后再归档。")
