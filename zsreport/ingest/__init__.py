"""Ingest: the office's Excel/CSV tables → a validated ``Dataset``, every problem addressed by file,
sheet and cell, in Chinese; and the blank forms the units fill in. Knows nothing of documents."""
