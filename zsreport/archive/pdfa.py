"""The archived copy of a PDF: PDF/A-3b carrying its own evidence.

The built PDF is already PDF/A-3b (weasyprint's ``pdf_variant``: XMP with ``pdfaid``, an sRGB
OutputIntent, every font embedded). The archived copy adds, with pikepdf (qpdf, well kept and able
to edit a PDF without re-laying it out):

- the inputs the document was made from (the quarter's spreadsheets, 发文.toml) and ``build.json``
  as embedded files, each an associated file of the document (``/AF``, ``AFRelationship /Source``)
  as PDF/A-3 (GB/T 23286.3) asks, so that the bulletin carries the figures it was made from;
- the 发文字号, 成文日期 and issuing organ in its XMP (Dublin Core: identifier, date, publisher,
  properties PDF/A needs no extension schema for).
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path

MIME = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".toml": "application/toml",
    ".json": "application/json",
}


@dataclass(frozen=True)
class Evidence:
    """A file embedded in the archived PDF: its name there, its bytes, what it is."""

    name: str
    data: bytes
    description: str


@dataclass(frozen=True)
class Identity:
    """What the XMP says of the document."""

    title: str
    doc_number: str
    date: str  # 成文日期, ISO (YYYY-MM-DD)
    organ: str


def evidence_name(input_path: str) -> str:
    """An input's name inside the PDF: its path under data/ on one level
    ("2020_2020Q1_季度完成情况.xlsx"), since every quarter's file has the same base name. A shipped
    default the data folder has no own copy of (office.toml) is recorded by its full path: its name."""
    if Path(input_path).is_absolute():
        return Path(input_path).name
    return input_path.replace("/", "_").replace("\\", "_")


def _mime(name: str) -> str:
    return MIME.get(Path(name).suffix.lower()) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def archival_copy(source: Path, target: Path, identity: Identity, evidence: list[Evidence]) -> None:
    """Write ``target``: ``source`` with ``evidence`` embedded as associated files, XMP completed."""
    import pikepdf

    with pikepdf.open(source) as pdf:
        associated = pikepdf.Array()
        for item in evidence:
            spec = pikepdf.AttachedFileSpec(
                pdf, item.data, description=item.description, filename=item.name, mime_type=_mime(item.name)
            )
            pdf.attachments[item.name] = spec
            spec_object = pdf.attachments[item.name].obj
            spec_object.AFRelationship = pikepdf.Name.Source
            associated.append(spec_object)
        pdf.Root.AF = associated
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["dc:identifier"] = identity.doc_number or identity.title
            xmp["dc:publisher"] = [identity.organ]
            xmp["dc:date"] = [identity.date]
            xmp["dc:title"] = identity.title
        # A fixed /ID and no fresh timestamps: the same inputs give the same archived bytes.
        pdf.save(target, deterministic_id=True)
