"""What weasyprint's layouts in one process share: the font configuration and the parsed
stylesheets.

A fresh ``FontConfiguration`` is a fresh pango font map, which loads and measures every face again;
one per process loads each face once. The stylesheet is the same text for most documents of a set
(it depends only on the 版头's size and on squeezed lines), so it is parsed once and handed to
weasyprint as a ``CSS`` object, not parsed again from a ``<style>`` element at every layout.

Handed over as a user stylesheet it cascades as it did as the author's: it holds no ``!important``,
the only author styles left are the elements' ``style`` attributes (which win either way), and the
user agent's rules lose to it either way. The PDF bytes are the same (``tests/render/test_shared.py``).
"""

from __future__ import annotations

import os

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from zsreport.render.pdf.fetcher import RefusingURLFetcher
from zsreport.render.pdf.html import PDF_TEMPLATES

BASE_URL = PDF_TEMPLATES.as_uri() + "/"
# Stylesheets kept parsed (a set uses a few: one per 版头 size, one per squeezed tail).
STYLESHEETS_KEPT = 8

_fonts: tuple[int, FontConfiguration] | None = None
_stylesheets: dict[str, weasyprint.CSS] = {}


def font_config() -> FontConfiguration:
    """This process's font configuration: made again in a forked worker, which must not use its
    parent's pango objects."""
    global _fonts
    if _fonts is None or _fonts[0] != os.getpid():
        _fonts = os.getpid(), FontConfiguration()
        _stylesheets.clear()  # parsed for the parent's font configuration
    return _fonts[1]


def parsed_stylesheet(text: str) -> weasyprint.CSS:
    """``text`` parsed once per process (the most recent ``STYLESHEETS_KEPT`` kept)."""
    fonts = font_config()
    if text not in _stylesheets:
        _stylesheets[text] = weasyprint.CSS(
            string=text, base_url=BASE_URL, url_fetcher=RefusingURLFetcher(), font_config=fonts
        )
        while len(_stylesheets) > STYLESHEETS_KEPT:
            del _stylesheets[next(iter(_stylesheets))]
    return _stylesheets[text]
