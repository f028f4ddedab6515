"""Rules of the fonts (GB/T 9704 5.2.3): every character mapped to a real glyph, every font
embedded so that the file prints as it was made."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pypdf

from zsreport.conformance.reading import Page
from zsreport.conformance.report import Report


def check_glyphs(report: Report, pages: list[Page]) -> None:
    bad = [
        (page.number, c["text"])
        for page in pages
        for line in page.lines
        for c in line.chars
        if "\ufffd" in c["text"] or c["text"].startswith("(cid:") or not c["text"] or not c.get("fontname")
    ]
    report.add(
        "fonts.glyphs",
        "5.2.3",
        not bad,
        f"{len(bad)} replacement/unmapped glyphs"
        + (f" (pages {sorted({p for p, _ in bad})})" if bad else ""),
        "no U+FFFD, (cid:N) or empty characters",
    )


def _fonts_in(resources: object, seen: set[int]) -> Iterator[pypdf.generic.DictionaryObject]:
    resources = resources.get_object() if resources is not None else None  # type: ignore[union-attr]
    if not isinstance(resources, dict):
        return
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        key = id(xobject)
        if key not in seen and "/Resources" in xobject:
            seen.add(key)
            yield from _fonts_in(xobject["/Resources"], seen)


def _embedded(font: pypdf.generic.DictionaryObject) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # glyphs are drawn by content streams inside the file
    target = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
    descriptor = target.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def check_embedding(report: Report, path: Path) -> None:
    reader = pypdf.PdfReader(path)
    names: dict[str, bool] = {}
    seen: set[int] = set()
    for page in reader.pages:
        for font in _fonts_in(page.get("/Resources"), seen):
            names[str(font.get("/BaseFont", "?"))] = _embedded(font)
    missing = sorted(name for name, ok in names.items() if not ok)
    report.add(
        "fonts.embedded",
        "5.2.3",
        bool(names) and not missing,
        f"{len(names)} fonts, not embedded: {', '.join(missing) or 'none'}",
        "every font embedded (FontFile/2/3)",
    )
