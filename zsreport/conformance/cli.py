"""``python -m zsreport conform FILE...`` (and ``python -m zsreport.conformance FILE...``): measure
each file, print its report, exit 1 when any rule fails."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from zsreport.conformance.docx import check_docx, convert_docx_to_pdf
from zsreport.conformance.pdf import check_pdf
from zsreport.conformance.report import failures, format_report


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m zsreport.conformance FILE.pdf|FILE.docx ...``: print reports, exit 1 on failure."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print("usage: python -m zsreport.conformance FILE.pdf|FILE.docx ...")
        return 0 if args else 2
    status = 0
    paths = [Path(a) for a in args]
    docx_pdfs = convert_docx_to_pdf([p for p in paths if p.suffix.lower() == ".docx"])
    for path in paths:
        if not path.exists():
            print(f"{path}: no such file")
            status = 1
            continue
        if path.suffix.lower() == ".docx":
            findings = check_docx(path, pdf=docx_pdfs.get(path))
        else:
            findings = check_pdf(path)
        print(format_report(findings, title=f"== {path}"))
        print()
        status |= 1 if failures(findings) else 0
    return status
