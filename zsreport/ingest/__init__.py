"""Ingest: the office's Excel/CSV tables → a validated ``Dataset``, every problem addressed by file,
sheet and cell, in Chinese; and the blank forms the units fill in. Knows nothing of documents.

The rest of the pipeline imports only the names below (and the types in ``ingest.dataset``).

Inside, one module per job, in reading order: ``cells`` (a file → grids of cells), ``headers``
(which table a grid holds, and where), ``quarters`` (which quarters have folders), ``scan`` (the files), ``tables``, ``plan``,
``actuals`` and ``ledger`` (the readers), ``crosscheck`` (between files), ``load`` (the
orchestration); ``parse`` (cell values), ``problems`` (the problem list and its report),
``messages`` (shared phrases) and ``forms`` (the blank templates) serve them."""

import importlib

# Public name → the module that defines it. Loaded on first use (PEP 562), so that a command that
# only needs ``available_quarters`` (folder names) does not pay for pandas and openpyxl.
_PUBLIC = {
    "InputError": "problems",
    "available_quarters": "quarters",
    "count_projects": "crosscheck",
    "format_problems": "problems",
    "load_dataset": "load",
    "write_templates": "forms",
}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> object:
    if name in _PUBLIC:
        return getattr(importlib.import_module(f"zsreport.ingest.{_PUBLIC[name]}"), name)
    raise AttributeError(f"module 'zsreport.ingest' has no attribute {name!r}")
