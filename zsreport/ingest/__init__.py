"""Ingest: the office's Excel/CSV tables → a validated ``Dataset``, every problem addressed by file,
sheet and cell, in Chinese; and the blank forms the units fill in. Knows nothing of documents.

The rest of the pipeline imports only the names below (and the types in ``ingest.dataset``)."""

from zsreport.ingest.load import (
    InputError,
    available_quarters,
    count_projects,
    format_problems,
    load_dataset,
    write_templates,
)

__all__ = [
    "InputError",
    "available_quarters",
    "count_projects",
    "format_problems",
    "load_dataset",
    "write_templates",
]
