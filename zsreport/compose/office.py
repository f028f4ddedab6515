"""The issuing office as printed on every document: ``office.toml`` of the data folder in use, else
the shipped default (``zsreport.config_file``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Office:
    """The issuing office as printed on every document (``office.toml`` of the data folder, else the shipped default)."""

    letterhead_lines: tuple[str, ...]
    signoff_lines: tuple[str, ...]
    doc_prefix: str
    printer: str
    cc: str
    city_addressee: str
    minutes_mark: str
    minutes_prefix: str
    # formats made besides the PDF and DOCX every build: ["ofd"] makes OFD a default
    formats: tuple[str, ...] = ()

    @classmethod
    def from_toml(cls, path: Path) -> Office:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
        return cls(
            letterhead_lines=tuple(raw["letterhead_lines"]),
            signoff_lines=tuple(raw["signoff_lines"]),
            doc_prefix=raw["doc_prefix"],
            printer=raw["printer"],
            cc=raw["cc"],
            city_addressee=raw["city_addressee"],
            minutes_mark=raw["minutes_mark"],
            minutes_prefix=raw["minutes_prefix"],
            formats=tuple(raw.get("formats", ())),
        )
