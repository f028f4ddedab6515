"""The command line as a Chinese clerk reads it: help, usage and errors in Chinese, an example per
command. Option names stay as they are (scripts and the Makefile use them).

argparse writes its own words (``usage:``, ``options``, "the following arguments are required") in
English; ``ChineseParser`` says them in Chinese and turns a malformed command into one Chinese line
with the way to the help, exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path
from typing import NoReturn

from zsreport import ARCHIVE_DIR, DATA_DIR, OUT_DIR, __version__

EXIT_USAGE = 2

# argparse's error texts → Chinese (the argument's name is kept as typed).
_ERRORS = (
    (
        r"argument 命令 \.\.\.: invalid choice: '?([^' ]+)'? \(choose from (.+)\)",
        "没有 {0} 这个命令，可用的命令：{1}",
    ),
    (r"the following arguments are required: (.+)", "缺少必须的参数：{0}"),
    (
        r"argument (\S+): invalid choice: '?([^' ]+)'? \(choose from (.+)\)",
        "参数 {0} 的值 {1} 不可用，可选：{2}",
    ),
    (r"argument (\S+): invalid (\w+) value: '?([^']*)'?", "参数 {0} 的值“{2}”不是有效的数"),
    (r"argument (\S+): expected one argument", "参数 {0} 后面要跟一个值"),
    (r"argument (\S+): not allowed with argument (\S+)", "参数 {0} 不能与 {1} 同时使用"),
    (r"unrecognized arguments: (.+)", "无法识别的参数：{0}"),
    (r"invalid choice: '?([^' ]+)'? \(choose from (.+)\)", "没有 {0} 这个命令，可用的命令：{1}"),
)


# Option placeholders in help and usage, in Chinese (argparse would print the option's name in capitals).
_METAVARS = {
    "year": "年份",
    "quarter": "季度",
    "data": "文件夹",
    "out": "文件夹",
    "archive": "文件夹",
    "from_dir": "文件夹",
    "jobs": "份数",
    "prefix": "机关代字",
    "files": "文件",
}


def chinese_error(message: str) -> str:
    for pattern, chinese in _ERRORS:
        if match := re.fullmatch(pattern, message):
            return chinese.format(*(group.replace("'", "") for group in match.groups()))
    return message


class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:  # type: ignore[override]
        # argparse passes prefix "" when it builds a subcommand's prog: leave that one alone.
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser whose help, section titles and errors are Chinese."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def add_argument(self, *args, **kwargs):  # type: ignore[override]
        action = super().add_argument(*args, **kwargs)
        if action.metavar is None and action.nargs != 0 and action.dest in _METAVARS:
            action.metavar = _METAVARS[action.dest]
        return action

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(
            f"zsreport：命令有误：{chinese_error(message)}\n运行 {self.prog} --help 查看用法和示例。\n"
        )
        sys.exit(EXIT_USAGE)


def _examples(*lines: str) -> str:
    return "示例：\n" + "\n".join(f"  {line}" for line in lines)


def program_name() -> str:
    """``zsreport`` when run as the installed command, ``python -m zsreport`` otherwise."""
    return "python -m zsreport" if Path(sys.argv[0]).name in ("__main__.py", "-c") else "zsreport"


def _period(p: argparse.ArgumentParser, year_required: bool = False) -> None:
    p.add_argument(
        "--year", type=int, required=year_required, help="年份，例如 2020（默认：数据中最新的一年）"
    )
    p.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), help="季度 1–4（默认：数据中最新的季度）")
    _data_folder(p)


def _data_folder(p: argparse.ArgumentParser) -> None:
    """``--data`` of a command that only reads it: ./data when there is one, else the shipped sample
    (None here; ``cli.data_in_use`` decides when the command runs, in the folder it runs in)."""
    p.add_argument(
        "--data", type=Path, default=None,
        help=f"数据文件夹（默认：当前文件夹下的 {DATA_DIR}，没有时用自带的 2020 年示例数据）",
    )  # fmt: skip


def _quarter_named(p: argparse.ArgumentParser, example_year: int) -> None:
    """``--year`` and ``--quarter``, both required (commands that act on one named quarter)."""
    p.add_argument("--year", type=int, required=True, help=f"年份，例如 {example_year}")
    p.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), required=True, help="季度 1–4")


def _archive_folder(p: argparse.ArgumentParser) -> None:
    p.add_argument("--archive", type=Path, default=ARCHIVE_DIR, help=f"归档文件夹（默认：{ARCHIVE_DIR}）")


def _numbering(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--briefing-mode", choices=("minutes", "formal"), default="minutes",
        help="联席调度会材料：minutes 印成纪要（默认，GB/T 9704 第10.3条），formal 印成红头文件",
    )  # fmt: skip
    p.add_argument(
        "--archive",
        type=Path,
        default=ARCHIVE_DIR,
        help=f"核对发文字号所用的归档文件夹（默认：{ARCHIVE_DIR}）",
    )


DRAFT_HELP = "征求意见稿：不带版头和发文字号，标题下注明（征求意见稿），不能归档印发；有单位未报送时必须加"


def _add_build(sub, prog: str) -> None:
    build = sub.add_parser(
        "build", help="生成本季度全部公文（PDF 和 DOCX）",
        description="生成本季度全部公文（PDF 和 DOCX）到 OUT/<年>Q<季>/：整套写好后一次替换，中途失败则保留上一套。",
        epilog=_examples(
            f"{prog} build", f"{prog} build --year 2021 --quarter 1", f"{prog} build --preprinted",
            f"{prog} build --draft    （有单位未报送时，先出征求意见稿）",
        ),
    )  # fmt: skip
    _period(build)
    build.add_argument("--out", type=Path, default=OUT_DIR, help=f"输出文件夹（默认：{OUT_DIR}）")
    _numbering(build)
    paper = build.add_mutually_exclusive_group()
    paper.add_argument(
        "--preprinted",
        action="store_true",
        help="套打：红头文件印在预印红头纸上，纪要印在预印纪要标志的纸上（不印红色标志和红线）",
    )
    paper.add_argument(
        "--plain", action="store_true", help="全部不带版头（无标志、发文字号和红线），例如征求意见稿"
    )
    paper.add_argument("--draft", action="store_true", help=DRAFT_HELP)
    build.add_argument("--jobs", type=int, default=0, help="同时排版的公文份数（默认：每个 CPU 核一份）")
    build.add_argument("--force", action="store_true", help="输入没有变化也重新生成")
    build.add_argument(
        "--ofd", action="store_true",
        help="每份 PDF 旁另生成 OFD 版式文件（GB/T 33190，供电子公文系统交换）；office.toml 中 formats = [\"ofd\"] 则每次都生成",
    )  # fmt: skip


def _add_check_template(sub, prog: str) -> None:
    check = sub.add_parser(
        "check", help="校验本季度的输入文件和发文字号，列出全部问题",
        description="校验本季度的输入文件和发文字号，列出全部问题（文件、工作表、单元格、发现什么、应为什么、怎样改）。",
        epilog=_examples(f"{prog} check", f"{prog} check --year 2021 --quarter 1"),
    )  # fmt: skip
    _period(check)
    _numbering(check)
    check.add_argument("--draft", action="store_true", help="按征求意见稿校验：允许有单位未报送")
    template = sub.add_parser(
        "template", help="写出全市汇总用的空白表（计划表、完成情况表、项目库）",
        epilog=_examples(f"{prog} template --year 2021"),
    )  # fmt: skip
    template.add_argument("--year", type=int, required=True, help="年份，例如 2021")
    _data_folder(template)
    template.add_argument("--out", type=Path, default=OUT_DIR / "forms", help="空白表写到哪里")


def _add_returns(sub, prog: str) -> None:
    forms = sub.add_parser(
        "forms", help="为每个单位写一份本季度报表（下发各单位填报）",
        epilog=_examples(f"{prog} forms --year 2021 --quarter 1"),
    )  # fmt: skip
    _quarter_named(forms, 2021)
    _data_folder(forms)
    forms.add_argument("--out", type=Path, default=None, help="报表写到哪里（默认：returns/<年>Q<季>/报表）")
    forms.add_argument("--replace", action="store_true", help="覆盖以前写出的报表")
    collect = sub.add_parser(
        "collect", help="收取各单位交回的报表，汇总成本季度的完成情况表和项目库",
        epilog=_examples(f"{prog} collect --year 2021 --quarter 1 --from 收回的报表/"),
    )  # fmt: skip
    _quarter_named(collect, 2021)
    collect.add_argument("--from", dest="from_dir", type=Path, required=True, help="交回的报表所在文件夹")
    collect.add_argument(
        "--data", type=Path, default=DATA_DIR, help=f"数据文件夹，汇总表写入其中（默认：{DATA_DIR}）"
    )
    collect.add_argument("--replace", action="store_true", help="覆盖已有的汇总表")
    collect.add_argument(
        "--cutoff", type=_cutoff_date, default=None, metavar="日期",
        help="报表收取截止日期，如 2021-01-08 或 2021年1月8日（有单位未报送时写入汇总表说明；默认：今天）",
    )  # fmt: skip


def _cutoff_date(text: str) -> dt.date:
    """2021-01-08 or 2021年1月8日: the day the office stopped waiting for the missing returns."""
    match = re.fullmatch(r"\s*(\d{4})(?:-|年)(\d{1,2})(?:-|月)(\d{1,2})日?\s*", text)
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))  # type: ignore[index]
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"“{text}”不是日期，请写成 2021-01-08 或 2021年1月8日") from None


def _add_issue_verify(sub, prog: str) -> None:
    issue = sub.add_parser(
        "issue", help="印发归档：核对后把本季度公文存入归档（只读、校验值、文号登记）",
        epilog=_examples(f"{prog} issue", f"{prog} issue --year 2020 --quarter 4"),
    )  # fmt: skip
    issue.add_argument("--year", type=int, help="年份，例如 2020（默认：最近生成的一套所属的年份）")
    issue.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), help="季度 1–4（默认：最近生成的一套）")
    issue.add_argument("--out", type=Path, default=OUT_DIR, help=f"生成的文件所在文件夹（默认：{OUT_DIR}）")
    _archive_folder(issue)
    issue.add_argument(
        "--data", type=Path, default=None, help="生成时用的数据文件夹（默认：build.json 中记录的）"
    )
    verify = sub.add_parser(
        "verify", help="核对归档：每个文件对清单，每份清单对文号登记库（0 完好，1 有问题，2 无法读取）",
        epilog=_examples(f"{prog} verify", f"{prog} verify --receipt out/2020Q4-归档回执.txt"),
    )  # fmt: skip
    _archive_folder(verify)
    proof = verify.add_mutually_exclusive_group()
    proof.add_argument(
        "--receipt", type=Path, default=None, help="归档回执文件：核对回执上的链头，证明其前的归档未被改写"
    )
    proof.add_argument("--head", default=None, help="直接输入回执上的链头（64 位十六进制）")
    archive = sub.add_parser(
        "archive", help="文号登记库：查下一个可用文号；从清单重建登记库",
        epilog=_examples(f"{prog} archive next-number --year 2021", f"{prog} archive rebuild-registry"),
    )  # fmt: skip
    archive_sub = archive.add_subparsers(dest="archive_command", required=True, title="子命令")
    next_number = archive_sub.add_parser("next-number", help="某年下一个可用的发文字号")
    next_number.add_argument("--year", type=int, required=True, help="文号的年份，例如 2021")
    next_number.add_argument("--prefix", default=None, help="机关代字（默认：office.toml 的 doc_prefix）")
    _data_folder(next_number)
    _archive_folder(next_number)
    rebuild = archive_sub.add_parser(
        "rebuild-registry", help="登记库丢失时，从各季度清单重建（须确认清单可信）"
    )
    _archive_folder(rebuild)


def _add_conform(sub, prog: str) -> None:
    conform = sub.add_parser(
        "conform", help="按 GB/T 9704-2012 逐条测量 PDF/DOCX 文件",
        epilog=_examples(f"{prog} conform out/2020Q4/*.pdf", f"{prog} -v conform out/2020Q4/2020Q4-01-*.docx"),
    )  # fmt: skip
    conform.add_argument(
        "files", nargs="+", type=Path, help="PDF 或 DOCX 文件（DOCX 经 LibreOffice 转换后测量）"
    )


def _add_doctor(sub, prog: str) -> None:
    doctor = sub.add_parser(
        "环境检查", aliases=["doctor"], help="检查本机能否生成公文：字体、PDF 排版、LibreOffice、数据文件夹、归档",
        description="逐项检查本机能否生成公文，每项 ✔ 或 ✘，✘ 的项写明怎样处理。退出码：0 可以生成；1 有须处理的项。",
        epilog=_examples(f"{prog} 环境检查", f"{prog} doctor", 'sudo "$(command -v zsreport)" 环境检查 --安装字体    （安装字体须有管理员权限）'),
    )  # fmt: skip
    doctor.add_argument(
        "--安装字体", "--setup", dest="setup", action="store_true",
        help="运行随软件附带的系统安装脚本：安装中文字体、字体别名等（Debian 系统，须以管理员身份运行）",
    )  # fmt: skip
    _data_folder(doctor)
    _archive_folder(doctor)


def build_parser() -> ChineseParser:
    prog = program_name()
    parser = ChineseParser(
        prog=prog,
        description="邵承办季度招商引资通报：从各单位报表生成符合 GB/T 9704-2012 的公文（PDF 和 DOCX）。",
        epilog="退出码：0 成功；1 输入有错误（已列出）或被拒绝；2 命令用法有误。\n"
        + _examples(f"{prog} build", f"{prog} check", f"{prog} build --help"),
    )
    parser.add_argument(
        "--version", action="version", version=f"zsreport {__version__}", help="显示版本并退出"
    )
    parser.add_argument("-q", "--quiet", dest="global_quiet", action="store_true", help="只显示问题")
    parser.add_argument("-v", "--verbose", action="store_true", help="显示更多细节（conform：每一项测量）")
    sub = parser.add_subparsers(dest="command", required=True, title="命令", metavar="命令 ...")
    _add_build(sub, prog)
    _add_check_template(sub, prog)
    _add_returns(sub, prog)
    _add_issue_verify(sub, prog)
    _add_conform(sub, prog)
    _add_doctor(sub, prog)
    for command in _leaf_parsers(sub):
        _verbosity(command)
    return parser


def _leaf_parsers(sub: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """Every command's own parser (an alias names the same one; ``archive``'s are one level down)."""
    leaves: dict[int, argparse.ArgumentParser] = {}
    for command in sub.choices.values():
        nested = [a for a in command._actions if isinstance(a, argparse._SubParsersAction)]
        for parser in nested[0].choices.values() if nested else (command,):
            leaves[id(parser)] = parser
    return list(leaves.values())


def _verbosity(p: argparse.ArgumentParser) -> None:
    """``-q``/``-v`` after any command as before it (``zsreport check -q`` = ``zsreport -q check``).
    SUPPRESS: a command that leaves them out does not reset what was given before it."""
    p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="只显示问题")
    p.add_argument(
        "-v", "--verbose", dest="command_verbose", action="store_true", default=argparse.SUPPRESS,
        help="显示更多细节",
    )  # fmt: skip
