"""Typeface roles → real fonts.

The standard names typefaces (小标宋, 仿宋, 楷体, 黑体, 宋体), not vendors. Office PCs have the
proprietary faces (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体), which may not be shipped: the DOCX
always names those so that Word/WPS shows them, and the PDF embeds the first installed face of an
open fallback chain (Fandol faces from Debian's texlive-lang-chinese, then Noto CJK, which also
covers name characters such as 镕 堃 喆 that Fandol lacks).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FontRole:
    official: str  # the name written into the DOCX (w:eastAsia)
    pdf_families: tuple[str, ...]  # CSS font-family chain for the PDF, best first
    latin: str = "Times New Roman"  # w:ascii / w:hAnsi in the DOCX for digits and Latin


FONT_ROLES: dict[str, FontRole] = {
    # 仿宋: 正文, 三级/四级标题, 版记
    "body": FontRole("仿宋_GB2312", ("仿宋_GB2312", "FangSong", "FandolFang", "Noto Serif CJK SC")),
    # 黑体: 一级标题, "附件", "出席"
    "hei": FontRole("黑体", ("黑体", "SimHei", "FandolHei", "Noto Sans CJK SC")),
    # 楷体: 二级标题, 签发人姓名
    "kai": FontRole(
        "楷体_GB2312", ("楷体_GB2312", "KaiTi", "FandolKai", "AR PL UKai CN", "Noto Serif CJK SC")
    ),
    # 小标宋: 发文机关标志, 标题
    "title": FontRole(
        "方正小标宋简体", ("方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", "FandolSong")
    ),
    # 宋体: 页码 (半角宋体 digits)
    "song": FontRole("宋体", ("宋体", "SimSun", "FandolSong", "Noto Serif CJK SC")),
}

# Last resort after each chain: faces that cover the characters Fandol lacks.
FALLBACK_FAMILIES: tuple[str, ...] = ("Noto Serif CJK SC", "Noto Sans CJK SC")
LATIN_PDF_FAMILIES: tuple[str, ...] = ("Liberation Serif",)


def css_family(role: str) -> str:
    """The CSS ``font-family`` value for a role: its chain, then the CJK fallbacks."""
    chain: list[str] = []
    for name in (*FONT_ROLES[role].pdf_families, *FALLBACK_FAMILIES):
        if name not in chain:
            chain.append(name)
    return ", ".join(f'"{name}"' for name in chain)
