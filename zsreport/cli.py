"""Command line: ``python -m zsreport build|check|template``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zsreport import ARCHIVE_DIR, DATA_DIR, OUT_DIR

EXIT_INPUT_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m zsreport",
        description="邵承办 quarterly 招商引资 bulletins (GB/T 9704-2012) from the units' Excel returns.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def period(p: argparse.ArgumentParser, year_required: bool = False) -> None:
        p.add_argument("--year", type=int, required=year_required, help="plan year, e.g. 2020")
        p.add_argument(
            "--quarter", type=int, choices=(1, 2, 3, 4), help="quarter 1–4 (default: the latest found)"
        )
        p.add_argument("--data", type=Path, default=DATA_DIR, help=f"data folder (default: {DATA_DIR})")

    build = sub.add_parser("build", help="build the quarter's documents (PDF and DOCX) into OUT/<year>Q<q>/")
    period(build)
    build.add_argument("--out", type=Path, default=OUT_DIR, help=f"output folder (default: {OUT_DIR})")
    build.add_argument(
        "--briefing-mode",
        choices=("minutes", "formal"),
        default="minutes",
        help="联席调度会 briefing as a 纪要 (GB/T 9704 §10.3, default) or as meeting material under the 红头",
    )
    paper = build.add_mutually_exclusive_group()
    paper.add_argument(
        "--preprinted",
        action="store_true",
        help="套打: print on pre-printed letterhead paper (red 标志 and rule left blank, all else in place)",
    )
    paper.add_argument(
        "--plain",
        action="store_true",
        help="every document without a 版头 (no 标志, 发文字号 or red rule), e.g. a draft sent for comment",
    )

    check = sub.add_parser("check", help="validate the quarter's input files and report every problem")
    period(check)

    issue = sub.add_parser(
        "issue",
        help="archive a built quarter (after checking its PDFs): read-only copies, checksums, 文号 registry",
    )
    issue.add_argument("--year", type=int, required=True)
    issue.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), required=True)
    issue.add_argument(
        "--out", type=Path, default=OUT_DIR, help=f"where the quarter was built (default: {OUT_DIR})"
    )
    issue.add_argument(
        "--archive", type=Path, default=ARCHIVE_DIR, help=f"archive folder (default: {ARCHIVE_DIR})"
    )

    verify = sub.add_parser(
        "verify", help="check every archived file against the checksum recorded when issued"
    )
    verify.add_argument("--archive", type=Path, default=ARCHIVE_DIR)

    conform = sub.add_parser("conform", help="measure PDF/DOCX files against GB/T 9704-2012, rule by rule")
    conform.add_argument(
        "files", nargs="+", type=Path, help="PDF or DOCX files (DOCX are measured via LibreOffice)"
    )

    template = sub.add_parser("template", help="write blank xlsx forms for the units to fill in")
    template.add_argument("--year", type=int, required=True)
    template.add_argument("--data", type=Path, default=DATA_DIR)
    template.add_argument("--out", type=Path, default=OUT_DIR / "forms", help="where to write the forms")
    return parser


def _resolve_period(data_dir: Path, year: int | None, quarter: int | None) -> tuple[int, int]:
    from zsreport.ingest import available_quarters

    found = [yq for yq in available_quarters(data_dir) if year is None or yq[0] == year]
    if quarter is not None:
        if year is None:
            raise SystemExit("zsreport：指定 --quarter 时还须指定 --year，例如 --year 2020 --quarter 4")
        return year, quarter
    if not found:
        where = f"{data_dir}/{year}" if year else str(data_dir)
        raise SystemExit(f"zsreport：在 {where} 下没有找到季度数据（应有 2020/2020Q4/ 这样的文件夹）")
    return found[-1]


def _print_problems(problems: list) -> None:
    from zsreport.ingest import format_problems

    print(format_problems(problems), file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    from zsreport.build import build_quarter
    from zsreport.ingest import InputError
    from zsreport.model import Mode

    year, quarter = _resolve_period(args.data, args.year, args.quarter)
    print(f"zsreport：正在生成{year}年第{quarter}季度文件（数据：{args.data}）")
    try:
        result = build_quarter(
            args.data, year, quarter, args.out, Mode(args.briefing_mode), args.preprinted, args.plain
        )
    except InputError as exc:
        _print_problems(exc.problems)
        print(
            f"zsreport：数据有错误，未生成任何文件（{args.out} 未改动）。请按上表改正后重新运行。",
            file=sys.stderr,
        )
        return EXIT_INPUT_ERROR
    if result.warnings:
        _print_problems(list(result.warnings))
    for path in result.files:
        print(f"  {path}")
    print(
        f"zsreport：已生成 {len(result.documents)} 份公文、{len(result.files)} 个文件，用时 {result.seconds:.1f} 秒。"
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    from zsreport.build import load_issuance
    from zsreport.ingest import InputError, load_dataset

    year, quarter = _resolve_period(args.data, args.year, args.quarter)
    try:
        dataset = load_dataset(args.data, year, quarter)
        load_issuance(args.data, year, quarter)
    except InputError as exc:
        _print_problems(exc.problems)
        return EXIT_INPUT_ERROR
    if dataset.warnings:
        _print_problems(list(dataset.warnings))
    print(f"zsreport：{year}年第{quarter}季度数据校验通过（{len(dataset.warnings)} 个警告）。")
    return 0


def _template(args: argparse.Namespace) -> int:
    from zsreport.ingest import write_templates
    from zsreport.ingest.dataset import Registry

    registry = Registry.from_toml(args.data / "registry.toml")
    for path in write_templates(args.year, args.out, registry):
        print(f"  {path}")
    return 0


def _issue(args: argparse.Namespace) -> int:
    from zsreport.archive.store import Archive, ArchiveError

    try:
        added = Archive(args.archive).issue(args.out / f"{args.year}Q{args.quarter}")
    except ArchiveError as exc:
        print(f"zsreport：{exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    for entry in added:
        note = f"（第{entry.revision}版）" if entry.revision > 1 else ""
        print(f"  {entry.doc_number}  {entry.name}{note}")
    print(f"zsreport：已归档 {len(added)} 个文件到 {args.archive}（内容未变的文件不重复归档）。")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from zsreport.archive.store import Archive

    problems = Archive(args.archive).verify()
    for problem in problems:
        print(problem, file=sys.stderr)
    print("zsreport：归档文件完好。" if not problems else f"zsreport：发现 {len(problems)} 个问题。")
    return 1 if problems else 0


def _conform(args: argparse.Namespace) -> int:
    from zsreport import conformance

    return conformance.main([str(path) for path in args.files])


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {
        "build": _build,
        "check": _check,
        "template": _template,
        "issue": _issue,
        "verify": _verify,
        "conform": _conform,
    }
    return handlers[args.command](args)
