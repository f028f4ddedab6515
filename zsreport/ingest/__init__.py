"""Ingest: the office's Excel/CSV tables → a validated ``Dataset``, every problem addressed by file,
sheet and cell, in Chinese; and the blank forms the units fill in. Knows nothing of documents.

The rest of the pipeline imports only the names below (and the types in ``ingest.dataset``).

Inside, one module per job, in reading order: ``cells`` (a file → grids of cells), ``headers``
(which table a grid holds, and where), ``scan`` (the files and quarters), ``tables``, ``plan``,
``actuals`` and ``ledger`` (the readers), ``crosscheck`` (between files), ``load`` (the
orchestration); ``parse`` (cell values), ``problems`` (the problem list and its report),
``messages`` (shared phrases) and ``forms`` (the blank templates) serve them."""

from zsreport.ingest.crosscheck import count_projects
from zsreport.ingest.forms import write_templates
from zsreport.ingest.load import load_dataset
from zsreport.ingest.problems import InputError, format_problems
from zsreport.ingest.scan import available_quarters

__all__ = [
    "InputError",
    "available_quarters",
    "count_projects",
    "format_problems",
    "load_dataset",
    "write_templates",
]
