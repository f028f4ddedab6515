"""发文.toml as a clerk writes it (issue 10, item 7), and 发文字号 without gaps, checked against the
archive before anything is built (item 6). Every refusal is read as the clerk reads it."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.shipped import shipped_data
from zsreport.cli import EXIT_INPUT_ERROR, main
from zsreport.compose import Office, issuing_plan
from zsreport.ingest import InputError
from zsreport.ingest.dataset import Registry
from zsreport.ingest.issuance import read_issuance
from zsreport.model import Mode

OFFICE = Office.from_toml(shipped_data() / "office.toml")
UNITS = Registry.from_toml(shipped_data() / "registry.toml").unit_names
MEETING = """
[meeting]
date = {meeting}
chair = "市人民政府分管副市长"
place = "市人民政府第三会议室"
attend = "各县市区人民政府分管负责同志"
"""


def write(tmp_path: Path, text: str, encoding: str = "utf-8", quarter: int = 1) -> Path:
    data = tmp_path / "data"
    folder = data / "2021" / f"2021Q{quarter}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "发文.toml").write_bytes(text.encode(encoding))
    return data


def refusal(data: Path, quarter: int = 1) -> str:
    with pytest.raises(InputError) as caught:
        read_issuance(data, 2021, quarter)
    assert all(p.file == f"data/2021/2021Q{quarter}/发文.toml" for p in caught.value.problems)
    return str(caught.value)


@pytest.mark.parametrize("typed", ['2021-04-12', '"2021-04-12"', '"2021年4月12日"', '"2021.4.12"', "2021年4月12日", "2021.4.12", "２０２１年４月１２日"])  # fmt: skip
def test_dates_are_read_as_a_clerk_types_them(tmp_path: Path, typed: str) -> None:
    data = write(tmp_path, f"date = {typed}\nfirst_number = 16\n" + MEETING.format(meeting=typed))
    issuance = read_issuance(data, 2021, 1)
    assert issuance.date == dt.date(2021, 4, 12) and issuance.meeting.date == dt.date(2021, 4, 12)
    assert issuance.first_number == 16 and issuance.minutes_number is None


def test_a_gbk_file_is_read(tmp_path: Path) -> None:
    text = 'date = "2021年4月12日"\nfirst_number = 16\n' + MEETING.format(meeting='"2021年4月9日"')
    issuance = read_issuance(write(tmp_path, text, "gbk"), 2021, 1)
    assert issuance.meeting.chair == "市人民政府分管副市长"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("date = 2021-03-15\nfirst_number = 16\n", "早于第1季度结束（2021年3月31日）"),
        ("date = 2021-09-01\nfirst_number = 16\n", "在第1季度结束（2021年3月31日）154天之后"),
        ("date = 2021-04-12\nfirst_number = 0\n", "first_number（起始发文字号）填的是“0”"),
        ("date = 2021-04-12\nfirst_number = 20210016\n", "1 至 999 的整数"),
        ("date = 2021-04-12\nfirst_number = 16.5\n", "first_number（起始发文字号）填的是“16.5”"),
        ("date = 2021-04-12\nfirst_nuber = 16\n", "不认识的项“first_nuber”"),
        (
            "date = 2021-04-12\nfirst_number = 16\n" + MEETING.format(meeting="2021-04-13"),
            "晚于成文日期2021年4月12日",
        ),
        (
            "date = 2021-04-12\nfirst_number = 16\n" + MEETING.format(meeting='"上周五"'),
            "会议日期）填的是“上周五”",
        ),
        (
            'date = 2021-04-12\nfirst_number = 16\n[meeting]\ndate = 2021-04-09\nchiar = "x"\n',
            "缺少 chair（主持人）",
        ),
        ("date = 2021-04-12\nfirst_number = 16\nchair = 市长\n", "第3行"),
        ("first_number = 16\n", "缺少 date（成文日期）"),
    ],
)
def test_wrong_values_are_refused_in_chinese_naming_file_and_key(
    tmp_path: Path, text: str, said: str
) -> None:
    message = refusal(write(tmp_path, text))
    assert said in message
    assert "__init__" not in message and "Traceback" not in message


def test_unknown_keys_suggest_the_right_one(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, "date = 2021-04-12\nfirst_nuber = 16\n"))
    assert "是否想写“first_number”" in message


def test_an_undecodable_file_says_how_to_save_it_as_utf8(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, "date = 2021-04-12\n", "utf-16"))
    assert "另存为" in message and "UTF-8" in message


# ---------------------------------------------------------------- numbering (item 6)


def squashed(text: str) -> str:
    """The report as one line without spaces: it wraps long lines for the terminal."""
    return "".join(text.split())


def serials(plan) -> list[tuple[str, int]]:
    return [(p.prefix, p.serial) for p in plan]


@pytest.mark.parametrize(("quarter", "meeting"), [(1, True), (1, False), (4, True), (4, False)])
def test_the_documents_of_a_quarter_take_consecutive_numbers(
    tmp_path: Path, quarter: int, meeting: bool
) -> None:
    date = "2021-04-12" if quarter == 1 else "2022-01-12"
    text = f"date = {date}\nfirst_number = 16\nminutes_number = 3\n"
    text += MEETING.format(meeting=date) if meeting else ""
    issuance = read_issuance(write(tmp_path, text, quarter=quarter), 2021, quarter)
    plan = issuing_plan(2021, quarter, UNITS, OFFICE, issuance)
    issued = [p.serial for p in plan if p.prefix == OFFICE.doc_prefix]
    assert issued == list(range(16, 16 + len(issued)))
    assert len(issued) == 1 + 13 + (quarter == 4)
    minutes = [p for p in plan if p.prefix == OFFICE.minutes_prefix]
    assert [m.doc_number for m in minutes] == (["邵承办纪〔2021〕3号" if quarter == 1 else "邵承办纪〔2022〕3号"] if meeting else [])  # fmt: skip
    assert [p.slug for p in plan] == sorted(p.slug for p in plan), "file names sort in issuing order"


def test_the_briefing_under_the_red_header_takes_the_next_number(tmp_path: Path) -> None:
    text = "date = 2021-04-12\nfirst_number = 16\n" + MEETING.format(meeting="2021-04-09")
    issuance = read_issuance(write(tmp_path, text), 2021, 1)
    plan = issuing_plan(2021, 1, UNITS, OFFICE, issuance, Mode.FORMAL)
    assert serials(plan)[:3] == [(OFFICE.doc_prefix, 16), (OFFICE.doc_prefix, 17), (OFFICE.doc_prefix, 18)]


def _issued(archive: Path, numbers: dict[str, str]) -> None:
    """An archive whose 文号 registry already holds ``numbers`` (as ``issue`` records them)."""
    from zsreport.archive.manifest import digest_of, empty_manifest, manifest_bytes
    from zsreport.archive.registry import Registry as NumberRegistry

    # The quarter's folder with a manifest: rows without an archived quarter are made up, and
    # ``next-number`` refuses to count past them.
    manifest = manifest_bytes(empty_manifest("2020Q4"))
    (archive / "2020Q4").mkdir(parents=True)
    (archive / "2020Q4" / "manifest.json").write_bytes(manifest)
    with NumberRegistry.open(archive, create=True) as registry:
        registry.commit_issue("t1", "2020Q4", numbers, digest_of(manifest), "2021-01-12T09:00:00")


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    shutil.copytree(shipped_data(), tmp_path / "data")
    return tmp_path / "data"


def test_check_refuses_a_number_issued_to_another_document_and_names_the_next(
    shipped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive"
    _issued(
        archive,
        {f"邵承办发〔2021〕{n}号": f"别的文件{n}" for n in range(1, 21)}
        | {"邵承办纪〔2021〕1号": "别的纪要"},
    )
    code = main(
        ["check", "--year", "2020", "--quarter", "4", "--data", str(shipped), "--archive", str(archive)]
    )
    err = squashed(capsys.readouterr().err)
    assert code == EXIT_INPUT_ERROR
    assert "data/2020/2020Q4/发文.toml" in err and "邵承办发〔2021〕1号已发给“别的文件1”" in err
    assert "first_number（起始发文字号）改为21" in err and "zsreportarchivenext-number--year2021" in err
    assert "minutes_number（联席调度会纪要编号）改为2" in err and "--prefix邵承办纪" in err
    assert "Traceback" not in err
    # every command a message suggests exists, and says the same
    assert (
        main(["archive", "next-number", "--year", "2021", "--data", str(shipped), "--archive", str(archive)])
        == 0
    )
    assert capsys.readouterr().out.strip() == "邵承办发〔2021〕21号"
    assert (
        main(["archive", "next-number", "--year", "2021", "--prefix", "邵承办纪", "--archive", str(archive)])
        == 0
    )
    assert capsys.readouterr().out.strip() == "邵承办纪〔2021〕2号"


def test_a_quarter_rebuilt_after_issue_keeps_its_own_numbers(
    shipped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive"
    _issued(archive, {"邵承办发〔2021〕1号": "2020Q4-01-全市招商引资工作通报", "邵承办纪〔2021〕1号": "2020Q4-02-招商引资联席调度会纪要"})  # fmt: skip
    toml = shipped / "2020" / "2020Q4" / "发文.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("minutes_number = 1", ""), encoding="utf-8")
    assert (
        main(["check", "--year", "2020", "--quarter", "4", "--data", str(shipped), "--archive", str(archive)])
        == 0
    )
    out = capsys.readouterr().out
    assert "邵承办纪〔2021〕1号  2020Q4-02-招商引资联席调度会纪要" in out  # kept, not the next free one
    assert "邵承办发〔2021〕15号  2020Q4-22-北塔区招商引资工作通报" in out


def test_without_minutes_number_the_minutes_take_the_next_free_one(
    shipped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive"
    _issued(archive, {"邵承办纪〔2021〕1号": "别的纪要", "邵承办纪〔2021〕2号": "又一份纪要"})
    toml = shipped / "2020" / "2020Q4" / "发文.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("minutes_number = 1", ""), encoding="utf-8")
    assert (
        main(["check", "--year", "2020", "--quarter", "4", "--data", str(shipped), "--archive", str(archive)])
        == 0
    )
    assert "邵承办纪〔2021〕3号  2020Q4-02-招商引资联席调度会纪要" in capsys.readouterr().out


def test_a_damaged_registry_is_a_message_not_a_traceback(
    shipped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "registry.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(archive / "registry.sqlite").execute("select 1 from x").fetchone()
    code = main(
        ["check", "--year", "2020", "--quarter", "4", "--data", str(shipped), "--archive", str(archive)]
    )
    assert code == EXIT_INPUT_ERROR and "已损坏" in capsys.readouterr().err
