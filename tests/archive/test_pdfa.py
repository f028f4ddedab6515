"""An archived PDF opens as PDF/A-3b and carries its own evidence: the inputs and build.json.

Checked with an independent reader (pikepdf/qpdf), not with the code that wrote it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pikepdf
import pytest

from zsreport.archive import Archive

NOW = dt.datetime(2021, 1, 12, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def archived(fresh, tmp_path: Path) -> tuple[Path, Path, Path]:
    data, out = fresh
    archive = Archive(tmp_path / "archive")
    archive.issue(out / "2020Q4", NOW)
    return data, out / "2020Q4", archive.quarter_dir(2020, 4)


def _fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    fonts = []
    for page in pdf.pages:
        resources = page.obj.get("/Resources", {})
        for font in resources.get("/Font", {}).values():
            fonts.append(font)
            fonts += list(font.get("/DescendantFonts", []))
    return fonts


def test_every_built_pdf_is_pdf_a_3b_with_fonts_embedded(archived) -> None:
    _, _built, folder = archived
    for path in sorted(folder.glob("*.pdf")):
        with pikepdf.open(path) as pdf:
            xmp = pdf.open_metadata()
            assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("3", "B"), path.name
            intents = pdf.Root.OutputIntents
            assert len(intents) >= 1 and intents[0].S == "/GTS_PDFA1" and "/DestOutputProfile" in intents[0]
            assert not pdf.is_encrypted and "/Encrypt" not in pdf.trailer
            for font in _fonts(pdf):
                descriptor = font.get("/FontDescriptor")
                if descriptor is not None:
                    assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), (
                        f"{path.name}: font {font.get('/BaseFont')} not embedded"
                    )


def test_archived_pdf_carries_its_inputs_and_build_record(archived) -> None:
    _data, built, folder = archived
    record = json.loads((built / "build.json").read_text(encoding="utf-8"))
    wanted = {i["path"].replace("/", "_"): i["sha256"] for i in record["inputs"]}
    wanted["build.json"] = hashlib.sha256((built / "build.json").read_bytes()).hexdigest()
    city = next(folder.glob("*-01-*.pdf"))
    with pikepdf.open(city) as pdf:
        attached = {
            name: hashlib.sha256(spec.get_file().read_bytes()).hexdigest()
            for name, spec in pdf.attachments.items()
        }
        assert attached == wanted
        associated = {str(spec.UF) for spec in pdf.Root.AF}
        assert associated == set(wanted)
        assert all(spec.AFRelationship == "/Source" for spec in pdf.Root.AF)
        for spec in pdf.Root.AF:
            assert "/Subtype" in spec.EF.F, "PDF/A-3 wants each embedded file's MIME type"
        xmp = pdf.open_metadata()
        assert xmp["dc:identifier"] == "邵承办发〔2021〕1号"
        assert xmp["dc:title"] == record["documents"][0]["title"]
        assert "2021-01-12" in str(xmp["dc:date"])
        assert "领导小组办公室" in str(xmp["dc:publisher"])


def test_the_archived_text_is_the_built_text(archived) -> None:
    from zsreport.archive.checks import first_page

    _, built, folder = archived
    for path in sorted(folder.glob("*.pdf")):
        assert first_page(path) == first_page(built / path.name)
