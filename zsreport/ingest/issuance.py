"""发文.toml → ``Issuance``: the quarter's 成文日期, 发文字号 and 联席调度会, as a clerk writes them.

The clerk is not a programmer: dates may be typed ``2021-04-12``, ``"2021-04-12"``, ``2021年4月12日``
or ``2021.4.12`` (quoted or not), numbers with or without quotes, the file saved as UTF-8 or GBK.
Everything else wrong is refused in Chinese, naming the file and the key, with what was expected.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from zsreport.ingest.dataset import Problem
from zsreport.ingest.problems import ERROR, InputError, Problems
from zsreport.ingest.scan import display_path

ISSUANCE_FILE = "发文.toml"

# What a 发文.toml may hold: key → its name in the messages.
TOP_KEYS = {
    "date": "成文日期",
    "first_number": "起始发文字号",
    "minutes_number": "联席调度会纪要编号",
    "meeting": "联席调度会",
}
MEETING_KEYS = {
    "date": "会议日期",
    "chair": "主持人",
    "place": "会议地点",
    "attend": "出席单位",
    "absent": "请假单位",
    "observers": "列席单位",
}
MEETING_REQUIRED = ("date", "chair", "place", "attend")

# A 发文字号's 序号 above this is a typing slip (the office issues a few dozen documents a year).
MAX_SERIAL = 999
# The bulletin reports a finished quarter and is issued within the next one.
LATEST_ISSUE_DAYS = 92

_DATE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
# A date typed without quotes in a form TOML does not know (2021年4月12日, 2021.4.12, 2021/4/12).
_BARE_DATE = re.compile(r"^(\s*date\s*=\s*)(\d{4}\s*[年./]\s*\d{1,2}\s*[月./]\s*\d{1,2}\s*日?)(\s*(?:#.*)?)$")


@dataclass(frozen=True)
class Meeting:
    """The quarter's 联席调度会: when, where, who chaired and who attended (for its 纪要)."""

    date: dt.date
    chair: str
    place: str
    attend: str
    absent: str = ""
    observers: str = ""


@dataclass(frozen=True)
class Issuance:
    """A quarter's 发文信息 (``data/<year>/<year>Q<q>/发文.toml``).

    ``first_number``: the 序号 of the first 邵承办发 document; the others follow without a gap.
    ``minutes_number``: the 纪要's own 序号 (邵承办纪〔year〕N号); None: the next free one (see build).
    """

    date: dt.date
    first_number: int
    meeting: Meeting | None = None
    minutes_number: int | None = None

    @property
    def year(self) -> int:
        """The year of a 发文字号 is the year of the 成文日期 (a Q4 bulletin issued in January: the new year)."""
        return self.date.year

    def doc_number(self, prefix: str, offset: int = 0) -> str:
        """邵承办发〔2021〕3号: year in full, 六角括号, no 第 and no leading zeros (clause 7.2.5)."""
        return number_text(prefix, self.year, self.first_number + offset)


def number_text(prefix: str, year: int, serial: int) -> str:
    return f"{prefix}〔{year}〕{serial}号"


def quarter_end(year: int, quarter: int) -> dt.date:
    """The last day of the quarter (3-31, 6-30, 9-30, 12-31)."""
    first_of_next = dt.date(year + quarter // 4, quarter % 4 * 3 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def parse_date(value: object) -> dt.date | None:
    """2021-04-12 (a TOML date), "2021-04-12", "2021年4月12日", "2021.4.12", "2021/4/12"; None if not a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    match = _DATE.match(unicodedata.normalize("NFKC", value).strip())
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:  # 2021-02-30
        return None


def read_issuance(data_dir: Path, year: int, quarter: int) -> Issuance:
    """The quarter's 发文.toml, checked; raises ``InputError`` with every problem found in it."""
    path = Path(data_dir) / str(year) / f"{year}Q{quarter}" / ISSUANCE_FILE
    reader = _Reader(display_path(path, Path(data_dir)), year, quarter)
    raw = reader.parse(path)
    issuance = reader.issuance(raw) if raw is not None else None
    if reader.problems.errors or issuance is None:
        raise InputError(reader.problems.items)
    return issuance


class _Reader:
    """Reads one 发文.toml, collecting every problem (so the clerk fixes them in one go)."""

    def __init__(self, shown: str, year: int, quarter: int) -> None:
        self.shown = shown
        self.year = year
        self.quarter = quarter
        self.problems = Problems()

    def refuse(self, found: str, expected: str, fix: str) -> None:
        self.problems.add(ERROR, self.shown, "", "", found, expected, fix)

    # ------------------------------------------------------------------ the file

    def parse(self, path: Path) -> dict | None:
        example = (
            "可复制上一季度的 发文.toml 到本季度文件夹后修改日期和文号（各项说明见 README.md“发文.toml”一节）"
        )
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            self.refuse(
                "文件不存在", "本季度文件夹中有 发文.toml：成文日期、起始发文字号和联席调度会", example + "。"
            )
            return None
        except OSError as exc:
            self.refuse(f"无法读取（{exc.strerror}）", "可读取的文本文件", "请检查文件权限后重试。")
            return None
        text = self._decode(data)
        if text is None:
            return None
        try:
            return tomllib.loads(_quote_bare_dates(text))
        except tomllib.TOMLDecodeError as exc:
            self.refuse(
                f"格式有误：{_toml_error_cn(exc)}",
                '每行写成“名称 = 值”；文字加英文双引号，如 chair = "市人民政府分管副市长"；'
                "日期如 date = 2021-04-12；编号如 first_number = 16",
                "请按提示的行改正；" + example + "。",
            )
            return None

    def _decode(self, data: bytes) -> str | None:
        """UTF-8 (with or without BOM), else GBK as saved by Notepad/WPS on a Chinese Windows."""
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        self.refuse(
            "文件编码无法识别（既不是 UTF-8，也不是 GBK）",
            "以 UTF-8 编码保存的文本文件",
            "用记事本打开该文件，选择“另存为”，在“编码”中选 UTF-8 后保存。",
        )
        return None

    # ------------------------------------------------------------------ the values

    def issuance(self, raw: dict) -> Issuance | None:
        self._unknown_keys(raw, TOP_KEYS, "")
        date = self._issue_date(raw.get("date"))
        first = self._serial(raw, "first_number", required=True)
        minutes = self._serial(raw, "minutes_number", required=False)
        meeting = self._meeting(raw.get("meeting"), date)
        if date is None or first is None:
            return None
        return Issuance(date=date, first_number=first, meeting=meeting, minutes_number=minutes)

    def _unknown_keys(self, raw: dict, known: dict[str, str], section: str) -> None:
        where = f"[{section}] 部分" if section else "文件"
        for key in raw:
            if key in known:
                continue
            close = difflib.get_close_matches(key, list(known), n=1)
            hint = f"是否想写“{close[0]}”（{known[close[0]]}）？" if close else ""
            listed = "、".join(f"{k}（{v}）" for k, v in known.items())
            self.refuse(
                f"{where}中有不认识的项“{key}”",
                f"{where}中只有这些项：{listed}",
                f"{hint}请改正拼写或删除这一项。",
            )

    def _issue_date(self, value: object) -> dt.date | None:
        if value is None:
            self.refuse("缺少 date（成文日期）", "如 date = 2021-04-12", "请在文件开头写上成文日期。")
            return None
        date = self._date("date（成文日期）", value)
        if date is None:
            return None
        end = quarter_end(self.year, self.quarter)
        if date < end:
            self.refuse(
                f"date（成文日期）是{_cn(date)}，早于第{self.quarter}季度结束（{_cn(end)}）",
                f"季度结束之后的日期（{_cn(end)}之后{LATEST_ISSUE_DAYS}天内）",
                "通报报告的是已结束的季度，请核对成文日期（年份是否写错）。",
            )
        elif (date - end).days > LATEST_ISSUE_DAYS:
            self.refuse(
                f"date（成文日期）是{_cn(date)}，在第{self.quarter}季度结束（{_cn(end)}）"
                f"{(date - end).days}天之后",
                f"季度结束后{LATEST_ISSUE_DAYS}天内的日期（{_cn(end)}至"
                f"{_cn(end + dt.timedelta(days=LATEST_ISSUE_DAYS))}）",
                "请核对成文日期（年份或月份是否写错，或文件是否放错了季度文件夹）。",
            )
        return date

    def _date(self, label: str, value: object) -> dt.date | None:
        date = parse_date(value)
        if date is None:
            self.refuse(
                f"{label}填的是“{value}”",
                "日期，写法如 2021-04-12、2021年4月12日 或 2021.4.12",
                "请按上面的写法填写年、月、日。",
            )
        return date

    def _serial(self, raw: dict, key: str, required: bool) -> int | None:
        label = f"{key}（{TOP_KEYS[key]}）"
        if key not in raw:
            if required:
                self.refuse(
                    f"缺少 {label}",
                    f"如 {key} = 16（文书分配的第一个号）",
                    "请填写本季度第一份公文的发文字号序号（可运行 zsreport archive next-number --year 年份 查询下一个可用号）。",
                )
            return None
        value = raw[key]
        text = unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else None
        if text is not None and text.isdigit():
            value = int(text)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SERIAL:
            self.refuse(
                f"{label}填的是“{raw[key]}”",
                f"1 至 {MAX_SERIAL} 的整数（发文字号中的序号，如〔2021〕16号填 16）",
                "只填序号本身，不写年份、“第”“号”或前导零。",
            )
            return None
        return value

    def _meeting(self, raw: object, issued: dt.date | None) -> Meeting | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.refuse(
                "meeting 写成了一个值",
                "[meeting] 单独一行，下面逐行写会议的各项",
                "请参照 README.md 的示例改写。",
            )
            return None
        self._unknown_keys(raw, MEETING_KEYS, "meeting")
        missing = [k for k in MEETING_REQUIRED if k not in raw]
        for key in missing:
            self.refuse(
                f"[meeting] 部分缺少 {key}（{MEETING_KEYS[key]}）",
                "联席调度会的日期、主持人、地点和出席单位",
                "请补上这一项；本季度未开联席调度会时，删除整个 [meeting] 部分。",
            )
        texts = {k: self._text(k, raw[k]) for k in MEETING_KEYS if k != "date" and k in raw}
        date = self._date("[meeting] date（会议日期）", raw["date"]) if "date" in raw else None
        if date is not None and issued is not None and date > issued:
            self.refuse(
                f"[meeting] date（会议日期）是{_cn(date)}，晚于成文日期{_cn(issued)}",
                "会议在纪要成文之前召开：会议日期不晚于 date（成文日期）",
                "请核对会议日期和成文日期。",
            )
        if missing or date is None or None in texts.values():
            return None
        return Meeting(date=date, **texts)  # type: ignore[arg-type]

    def _text(self, key: str, value: object) -> str | None:
        if isinstance(value, str):
            return value.strip()
        self.refuse(
            f"[meeting] {key}（{MEETING_KEYS[key]}）填的是 {value!r}",
            '文字，加英文双引号，如 "市人民政府第三会议室"',
            "请给这一项的内容加上英文双引号。",
        )
        return None


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _quote_bare_dates(text: str) -> str:
    """``date = 2021年4月12日`` is not TOML: quote such a date so that ``parse_date`` reads it."""
    return "\n".join(_BARE_DATE.sub(r'\1"\2"\3', line) for line in text.splitlines())


def _toml_error_cn(exc: tomllib.TOMLDecodeError) -> str:
    """tomllib's English message with its line number said in Chinese."""
    match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    if match:
        return f"第{match.group(1)}行第{match.group(2)}列附近写法不对（{str(exc)[: match.start()].strip()}）"
    return str(exc)


def issuance_problem(data_dir: Path, year: int, quarter: int, found: str, expected: str, fix: str) -> Problem:
    """A problem with the quarter's 发文.toml found elsewhere (the 文号 registry, for one)."""
    path = Path(data_dir) / str(year) / f"{year}Q{quarter}" / ISSUANCE_FILE
    return Problem(ERROR, display_path(path, Path(data_dir)), "", "", found, expected, fix)
