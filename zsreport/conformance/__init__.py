"""Conformance: measures finished PDF and DOCX files against GB/T 9704-2012, rule by rule.
It stands beside the pipeline: it reads files (and, when given, the document tree), never the
pipeline's inputs. ``python -m zsreport conform`` calls ``main``."""

from zsreport.conformance.checker import (
    Finding,
    check_docx,
    check_pdf,
    convert_docx_to_pdf,
    failures,
    format_report,
    main,
    title_shape,
)

__all__ = [
    "Finding",
    "check_docx",
    "check_pdf",
    "convert_docx_to_pdf",
    "failures",
    "format_report",
    "main",
    "title_shape",
]
