"""Rules of the fonts (GB/T 9704 5.2.3): every character mapped to a real glyph, every font
embedded so that the file prints as it was made."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pikepdf

from zsreport.conformance.reading import Page
from zsreport.conformance.report import Report


def check_glyphs(report: Report, pages: list[Page]) -> None:
    bad = [
        (page.number, c["text"])
        for page in pages
        for line in [*page.lines, *page.chart_lines]
        for c in line.chars
        if "\ufffd" in c["text"] or c["text"].startswith("(cid:") or not c["text"] or not c.get("fontname")
    ]
    report.add(
        "fonts.glyphs",
        "5.2.3",
        not bad,
        f"{len(bad)} 个替代或无法识别的字形"
        + (f"（第 {'、'.join(str(p) for p in sorted({p for p, _ in bad}))} 页）" if bad else ""),
        "无替代字符、无未映射的字形、无空字符",
    )


def _fonts_in(resources: object, seen: set[tuple[int, int]]) -> Iterator[pikepdf.Dictionary]:
    """Every font a page's resources name, those of its form XObjects (charts) included."""
    if not isinstance(resources, pikepdf.Dictionary):
        return
    fonts = resources.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary):
        yield from (fonts[key] for key in fonts.keys())  # noqa: SIM118 (a pikepdf Dictionary)
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary):
        return
    for key in xobjects.keys():  # noqa: SIM118
        xobject = xobjects[key]
        if xobject.objgen not in seen and "/Resources" in xobject:
            seen.add(xobject.objgen)
            yield from _fonts_in(xobject.Resources, seen)


def _embedded(font: pikepdf.Dictionary) -> bool:
    if font.get("/Subtype") == pikepdf.Name.Type3:
        return True  # glyphs are drawn by content streams inside the file
    target = font.DescendantFonts[0] if "/DescendantFonts" in font else font
    descriptor = target.get("/FontDescriptor")
    if not isinstance(descriptor, pikepdf.Dictionary):
        return False
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def check_embedding(report: Report, path: Path) -> None:
    names: dict[str, bool] = {}
    seen: set[tuple[int, int]] = set()
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for font in _fonts_in(page.resources, seen):  # inherited resources too
                names[str(font.get("/BaseFont", "?"))] = _embedded(font)
    missing = sorted(name for name, ok in names.items() if not ok)
    report.add(
        "fonts.embedded",
        "5.2.3",
        bool(names) and not missing,
        f"{len(names)} 种字体，未嵌入：{'、'.join(missing) or '无'}",
        "全部字体已嵌入",
    )
