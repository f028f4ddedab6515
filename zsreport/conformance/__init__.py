"""Conformance: measures finished PDF and DOCX files against GB/T 9704-2012, rule by rule.
It stands beside the pipeline: it reads files (and, when given, the document tree), never the
pipeline's inputs. ``python -m zsreport conform`` calls ``main``."""

from zsreport.conformance.cli import main
from zsreport.conformance.docx import check_docx, convert_docx_to_pdf
from zsreport.conformance.pdf import check_pdf
from zsreport.conformance.report import Finding, failures, format_report
from zsreport.conformance.rules_title import title_shape

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
