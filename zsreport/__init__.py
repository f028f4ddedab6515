"""zsreport: 邵承办 quarterly 招商引资 bulletins (GB/T 9704-2012 公文) from the units' Excel returns.

Pipeline, one module per step: ``load`` → ``compute`` → ``compose`` (document tree, ``model``)
→ ``render_pdf`` / ``render_docx`` → ``archive``.
"""

from pathlib import Path

__version__ = "0.1.0"

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PROJECT_ROOT / "templates"
DATA_DIR = PROJECT_ROOT / "data"
OUT_DIR = PROJECT_ROOT / "out"
ARCHIVE_DIR = PROJECT_ROOT / "archive"
