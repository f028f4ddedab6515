"""The only way the PDF renderer reads anything: ``data:`` URLs and files under ``templates/``."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from weasyprint.urls import URLFetcher, URLFetcherResponse

from zsreport import TEMPLATES_DIR


class RefusingURLFetcher(URLFetcher):
    """Serves ``data:`` URLs and files under ``templates/``; refuses everything else.

    Rendering must never touch the network, and document text (which may come from Excel) must
    not be able to make weasyprint read arbitrary local files.
    """

    def __init__(self, root: Path = TEMPLATES_DIR) -> None:
        super().__init__(fail_on_errors=False)
        self._root = root.resolve()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:"):
            path = Path(URLFetcherResponse(url).path or "").resolve()
            if path.is_relative_to(self._root) and path.is_file():
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
        raise ValueError(f"refused to fetch {url!r}: only data: URLs and files under {self._root}")
