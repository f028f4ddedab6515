"""What a DOCX run is set in, as Word resolves it: the run's own properties, then its character
style, then its paragraph's style (each through its ``basedOn`` chain), then the docDefaults.

A restylable DOCX keeps its runs bare, so the face and size of a run are read here, never from
the run alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


class StyleSheet:
    """The styles part of one DOCX, for resolving run properties."""

    def __init__(self, styles: etree._Element | None) -> None:
        self.by_id: dict[str, etree._Element] = {}
        self.defaults: etree._Element | None = None
        self.default_paragraph: str | None = None
        if styles is None:
            return
        for style in styles.iter(_w("style")):
            self.by_id[style.get(_w("styleId"))] = style
            if style.get(_w("type")) == "paragraph" and style.get(_w("default")) in ("1", "true"):
                self.default_paragraph = style.get(_w("styleId"))
        self.defaults = styles.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")

    def chain(self, style_id: str | None) -> Iterator[etree._Element]:
        """The style and the styles it is based on, nearest first (a loop ends the walk)."""
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find(_w("basedOn"))
            style_id = based.get(_w("val")) if based is not None else None

    def _sources(self, run: etree._Element) -> Iterator[etree._Element]:
        """Every rPr that may set a property of ``run``, in the order Word applies them."""
        own = run.find(_w("rPr"))
        if own is not None:
            yield own
            rstyle = own.find(_w("rStyle"))
            if rstyle is not None:
                yield from self._style_rprs(rstyle.get(_w("val")))
        yield from self._style_rprs(paragraph_style(run) or self.default_paragraph)
        if self.defaults is not None:
            yield self.defaults

    def _style_rprs(self, style_id: str | None) -> Iterator[etree._Element]:
        for style in self.chain(style_id):
            rpr = style.find(_w("rPr"))
            if rpr is not None:
                yield rpr

    def style_value(self, style_id: str, tag: str, attr: str = "val") -> str | None:
        """``w:attr`` of ``w:tag`` as the style sets it, itself or through what it is based on."""
        rprs = [*self._style_rprs(style_id), *([self.defaults] if self.defaults is not None else [])]
        return _first(rprs, tag, attr)

    def value(self, run: etree._Element, tag: str, attr: str = "val") -> str | None:
        """``w:attr`` of the ``w:tag`` that decides it for ``run`` (None: nowhere set)."""
        return _first(self._sources(run), tag, attr)

    def font(self, run: etree._Element, slot: str = "eastAsia") -> str | None:
        """The face named for ``slot`` (eastAsia, ascii, hAnsi) of ``run``."""
        return self.value(run, "rFonts", slot)

    def size_pt(self, run: etree._Element) -> float | None:
        half_points = self.value(run, "sz")
        return None if half_points is None else int(half_points) / 2


def _first(rprs: Iterable[etree._Element], tag: str, attr: str) -> str | None:
    for rpr in rprs:
        el = rpr.find(_w(tag))
        if el is not None and el.get(_w(attr)) is not None:
            return el.get(_w(attr))
    return None


def paragraph_style(run: etree._Element) -> str | None:
    """The style id the run's paragraph names (None: the default paragraph style)."""
    p = run.getparent()
    while p is not None and p.tag != _w("p"):
        p = p.getparent()
    style = p.find(f"{_w('pPr')}/{_w('pStyle')}") if p is not None else None
    return style.get(_w("val")) if style is not None else None


def text_runs(root: etree._Element) -> list[etree._Element]:
    """Runs that print text (a field's instruction and the drawing holders excluded)."""
    return [r for r in root.iter(_w("r")) if r.find(_w("t")) is not None]
