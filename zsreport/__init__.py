"""zsreport: 邵承办 quarterly 招商引资 bulletins (GB/T 9704-2012 公文) from the units' Excel returns.

Pipeline, one module per step: ``load`` → ``compute`` → ``compose`` (document tree, ``model``)
→ ``render_pdf`` / ``render_docx`` → ``archive``.
"""

from importlib import resources
from pathlib import Path

__version__ = "0.1.0"


def _shipped(name: str) -> Path:
    """A folder shipped inside the package (package data), found through ``importlib.resources``.
    pip always installs a wheel unpacked, so it is a real folder: Jinja's loader, weasyprint and the
    loaders need paths, not a zip member."""
    return Path(str(resources.files(__name__).joinpath(name)))


# What ships with the package. Computing these paths reads nothing: every file is read when a
# command needs it.
TEMPLATES_DIR = _shipped("templates")  # the wording (wording/*.xml.j2), the PDF and index.html templates
SAMPLE_DATA_DIR = _shipped("data")  # the 2020 sample year, and the default registry.toml and office.toml
# The system set-up (fonts, font aliases; LibreOffice for the checks), run as root on a Debian-family
# machine: shipped so that an installed zsreport can name it and run it (``zsreport 环境检查 --安装字体``).
SETUP_SCRIPT = _shipped("system") / "setup-system.sh"

# Where a command works by default: the folder it is run in (``make`` runs it in the checkout).
DATA_DIR = Path("data")  # the data folder in use when it exists; else SAMPLE_DATA_DIR (cli.data_in_use)
OUT_DIR = Path("out")
ARCHIVE_DIR = Path("archive")
RETURNS_DIR = Path("returns")

# The source checkout: for the tests and scripts only; an installed zsreport never looks there.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def is_sample_data(data_dir: Path) -> bool:
    """Whether ``data_dir`` is the shipped 2020 sample: what it builds must never pass for real."""
    return Path(data_dir).resolve() == SAMPLE_DATA_DIR.resolve()


def config_file(data_dir: Path, name: str) -> Path:
    """The configuration file ``name`` (registry.toml, office.toml) of the data folder in use, or the
    shipped default when that folder has none of its own."""
    own = Path(data_dir) / name
    return own if own.is_file() else SAMPLE_DATA_DIR / name
