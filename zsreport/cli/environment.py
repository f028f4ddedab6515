"""What this machine has and lacks for zsreport: the fonts refusal of ``build`` and the
``环境检查`` (``doctor``) command, each item ✔ or ✘ with the one thing to do about it.

The fixes name the system set-up script the package ships (``SETUP_SCRIPT``), so that an installed
zsreport points at a file that exists, wherever pip put it.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from zsreport import SAMPLE_DATA_DIR, SETUP_SCRIPT, __version__
from zsreport.fonts import (
    FONT_ROLES,
    LATIN_PDF_FAMILIES,
    RoleFace,
    chain_text,
    installed_families,
    role_faces,
)

OK, FAILED = "✔", "✘"


def setup_command(level: str = "runtime") -> str:
    """The one command that installs the system parts (run as root; Debian family)."""
    return f"sudo bash {shlex.quote(str(SETUP_SCRIPT))} {level}"


def fonts_missing_message(missing: list[RoleFace], untouched: Path) -> str:
    """``build``'s refusal: which faces, and the one command that installs them."""
    lines = [
        f"zsreport：本机缺少公文所需的中文字体，生成的 PDF 会是一个个空框，因此未生成任何文件（{untouched} 未改动）。"
    ]
    if shutil.which("fc-list") is None:
        lines.append("  本机没有 fontconfig（fc-list），无法查找已安装的字体。")
    lines += [f"  缺少{face.label}：{chain_text(face.role)}" for face in missing]
    lines.append("安装字体（Debian、统信 UOS、银河麒麟等，需要管理员密码），运行这一条命令：")
    lines.append(f"  {setup_command()}")
    lines.append("装好后运行 zsreport 环境检查 核对，再重新生成。")
    return "\n".join(lines)


@dataclass(frozen=True)
class Item:
    ok: bool
    what: str
    fix: str = ""
    required: bool = True  # a ✘ here makes the check fail (exit 1)

    def lines(self) -> Iterator[str]:
        yield f"{OK if self.ok else FAILED} {self.what}"
        if not self.ok and self.fix:
            yield f"    修复：{self.fix}"


def _font_items() -> Iterator[Item]:
    have_fontconfig = shutil.which("fc-list") is not None
    if not have_fontconfig:
        yield Item(False, "fontconfig（fc-list）：没有，无法查找字体", setup_command())
    for face in role_faces():
        official = FONT_ROLES[face.role].official
        if face.found is None:
            yield Item(False, f"字体 {face.label}：没有 {chain_text(face.role)}", setup_command())
        elif face.stand_in:
            yield Item(
                True, f"字体 {face.label}：{face.found}（{official} 的替代字体；DOCX 仍写 {official}）"
            )
        else:
            yield Item(True, f"字体 {face.label}：{face.found}（正式字体）")
    latin = next((name for name in LATIN_PDF_FAMILIES if name in installed_families()), None)
    yield Item(
        latin is not None,
        f"字体 数字和西文：{latin or '没有 ' + '、'.join(LATIN_PDF_FAMILIES)}",
        setup_command(),
        required=False,
    )


def _weasyprint_item() -> Item:
    """weasyprint lays the PDFs out with Pango: both must load."""
    fix = "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0，然后重新安装 zsreport"
    try:
        import weasyprint
        from weasyprint.text.ffi import pango
    except (ImportError, OSError) as exc:
        return Item(False, f"PDF 排版（weasyprint 和 Pango）：无法加载（{exc}）", fix)
    version = pango.pango_version()
    pango_text = f"{version // 10000}.{version // 100 % 100}.{version % 100}"
    return Item(True, f"PDF 排版：weasyprint {weasyprint.__version__}，Pango {pango_text}")


def _libreoffice_item() -> Item:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office:
        return Item(True, f"LibreOffice（可选，conform 检查 DOCX 用）：{office}", required=False)
    return Item(
        False,
        "LibreOffice（可选，只有 conform 检查 DOCX 时用）：没有",
        setup_command("test"),
        required=False,
    )


def _data_item(data: Path) -> Item:
    from zsreport.ingest import available_quarters

    quarters = available_quarters(data)
    latest = f"，最新的季度 {quarters[-1][0]}年第{quarters[-1][1]}季度" if quarters else ""
    if data.resolve() == SAMPLE_DATA_DIR.resolve():
        return Item(
            False,
            f"数据文件夹：没有 data 文件夹，用的是自带的 2020 年示例数据（{data}）{latest}；生成的公文标有“示例数据”，不能印发",
            f"在本文件夹新建 data 文件夹放入本单位的数据（可先复制示例：cp -r {shlex.quote(str(SAMPLE_DATA_DIR))} data）",
        )
    if not quarters:
        return Item(False, f"数据文件夹：{data} 下没有季度数据", "应有 2021/2021Q1/ 这样的文件夹，见 README")
    return Item(True, f"数据文件夹：{data.resolve()}{latest}")


def _archive_item(archive: Path) -> Item:
    from zsreport.archive import Archive

    if not archive.exists():
        return Item(True, f"归档文件夹：{archive} 尚未建立（第一次 issue 时建立）")
    if not os.access(archive, os.W_OK):
        return Item(False, f"归档文件夹：{archive.resolve()} 不可写", "请管理员给本账户写入权限")
    verdict = Archive(archive).verdict()
    if verdict.exit_code == 0:
        return Item(True, f"归档文件夹：{archive.resolve()}，核对完好")
    return Item(False, f"归档文件夹：{archive.resolve()} 有问题", "运行 zsreport verify 查看每个问题")


def check_items(data: Path, archive: Path) -> list[Item]:
    return [*_font_items(), _weasyprint_item(), _libreoffice_item(), _data_item(data), _archive_item(archive)]


def run_setup() -> int:
    """Run the shipped set-up script (it asks for nothing; without root it says what to install)."""
    print(f"zsreport：运行 {setup_command().removeprefix('sudo ')}", flush=True)
    return subprocess.run(["bash", str(SETUP_SCRIPT), "runtime"], check=False).returncode


def doctor(args: argparse.Namespace) -> int:
    if args.setup:
        return run_setup()
    print(f"zsreport {__version__} 环境检查（Python {sys.version.split()[0]}）")
    items = check_items(args.data, args.archive)
    for item in items:
        for line in item.lines():
            print(line)
    failed = [item for item in items if item.required and not item.ok]
    if failed:
        print(f"zsreport：{len(failed)} 项须处理（见上面的“修复”）。")
        return 1
    print("zsreport：可以生成公文。")
    return 0
