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

    def numbering(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--briefing-mode",
            choices=("minutes", "formal"),
            default="minutes",
            help="联席调度会 briefing as a 纪要 (GB/T 9704 §10.3, default) or as meeting material under the 红头",
        )
        p.add_argument(
            "--archive",
            type=Path,
            default=ARCHIVE_DIR,
            help=f"archive whose 文号 registry the 发文字号 are checked against (default: {ARCHIVE_DIR})",
        )

    build = sub.add_parser("build", help="build the quarter's documents (PDF and DOCX) into OUT/<year>Q<q>/")
    period(build)
    build.add_argument("--out", type=Path, default=OUT_DIR, help=f"output folder (default: {OUT_DIR})")
    numbering(build)
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

    check = sub.add_parser(
        "check", help="validate the quarter's input files and 发文字号 and report every problem"
    )
    period(check)
    numbering(check)

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

    issue.add_argument(
        "--data",
        type=Path,
        default=None,
        help="data folder the set was built from (default: the one recorded in build.json)",
    )

    verify = sub.add_parser(
        "verify",
        help="prove the archive: every file against its manifest, every manifest against the 文号 registry"
        " (exit 0 intact, 1 findings, 2 unreadable)",
    )
    verify.add_argument(
        "--archive", type=Path, default=ARCHIVE_DIR, help=f"archive folder (default: {ARCHIVE_DIR})"
    )

    archive = sub.add_parser("archive", help="the 文号 registry: next free number, rebuild from manifests")
    archive_sub = archive.add_subparsers(dest="archive_command", required=True)
    next_number = archive_sub.add_parser("next-number", help="the next free 发文字号 of a year")
    next_number.add_argument("--year", type=int, required=True, help="the 文号's year, e.g. 2021")
    next_number.add_argument("--prefix", default=None, help="机关代字 (default: doc_prefix in office.toml)")
    next_number.add_argument("--data", type=Path, default=DATA_DIR, help=f"data folder (default: {DATA_DIR})")
    next_number.add_argument(
        "--archive", type=Path, default=ARCHIVE_DIR, help=f"archive folder (default: {ARCHIVE_DIR})"
    )
    rebuild = archive_sub.add_parser(
        "rebuild-registry", help="rebuild a lost registry.sqlite from the quarters' manifests (explicit)"
    )
    rebuild.add_argument(
        "--archive", type=Path, default=ARCHIVE_DIR, help=f"archive folder (default: {ARCHIVE_DIR})"
    )

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
    from zsreport.staging import BusyError

    year, quarter = _resolve_period(args.data, args.year, args.quarter)
    print(f"zsreport：正在生成{year}年第{quarter}季度文件（数据：{args.data}）")
    try:
        result = build_quarter(
            args.data,
            year,
            quarter,
            args.out,
            Mode(args.briefing_mode),
            args.preprinted,
            args.plain,
            archive_root=args.archive,
        )
    except InputError as exc:
        _print_problems(exc.problems)
        print(
            f"zsreport：数据有错误，未生成任何文件（{args.out} 未改动）。请按上表改正后重新运行。",
            file=sys.stderr,
        )
        return EXIT_INPUT_ERROR
    except BusyError as exc:
        print(f"zsreport：{exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    if result.warnings:
        _print_problems(list(result.warnings))
    for fallback in result.fallbacks:
        print(f"zsreport：字库缺字：{fallback}（已记入数据校验报告.txt）", file=sys.stderr)
    for path in result.files:
        print(f"  {path}")
    print(
        f"zsreport：已生成 {len(result.documents)} 份公文、{len(result.files)} 个文件，用时 {result.seconds:.1f} 秒。"
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    from zsreport.build import prepare
    from zsreport.ingest import InputError
    from zsreport.model import Mode

    year, quarter = _resolve_period(args.data, args.year, args.quarter)
    try:
        prepared = prepare(args.data, year, quarter, args.archive, Mode(args.briefing_mode))
    except InputError as exc:
        _print_problems(exc.problems)
        return EXIT_INPUT_ERROR
    if prepared.warnings:
        _print_problems(list(prepared.warnings))
    print(f"zsreport：{year}年第{quarter}季度数据校验通过（{len(prepared.warnings)} 个警告）。")
    print("本季度公文及发文字号（按印发顺序，均未被归档中的其他公文使用）：")
    for entry in prepared.plan:
        print(f"  {entry.doc_number}  {entry.slug}")
    return 0


def _template(args: argparse.Namespace) -> int:
    from zsreport.ingest import write_templates
    from zsreport.ingest.dataset import Registry

    registry = Registry.from_toml(args.data / "registry.toml")
    for path in write_templates(args.year, args.out, registry):
        print(f"  {path}")
    return 0


def _issue(args: argparse.Namespace) -> int:
    from zsreport.archive import Archive, ArchiveError

    try:
        added = Archive(args.archive).issue(args.out / f"{args.year}Q{args.quarter}", data_dir=args.data)
    except ArchiveError as exc:
        print(f"zsreport：{exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    for entry in added:
        note = f"（第{entry.revision}版）" if entry.revision > 1 else ""
        print(f"  {entry.doc_number}  {entry.name}{note}")
    print(f"zsreport：已归档 {len(added)} 个文件到 {args.archive}（内容未变的文件不重复归档）。")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from zsreport.archive import Archive

    verdict = Archive(args.archive).verdict()
    for problem in verdict.all():
        print(problem, file=sys.stderr)
    if verdict.exit_code == 0:
        print("zsreport：归档文件完好（每个文件、清单和文号登记均已核对）。")
    elif verdict.exit_code == 2:
        print("zsreport：归档中有无法读取的清单或登记库，无法完成核对。")
    else:
        print(f"zsreport：发现 {len(verdict.findings)} 个问题。")
    return verdict.exit_code


def _archive(args: argparse.Namespace) -> int:
    from zsreport.archive import Archive, ArchiveError

    archive = Archive(args.archive)
    try:
        if args.archive_command == "rebuild-registry":
            path = archive.rebuild_registry()
            print(f"zsreport：已从各季度清单重建文号登记库 {path}。请运行 zsreport verify 核对。")
            return 0
        from zsreport.compose import Office

        prefix = args.prefix or Office.from_toml(args.data / "office.toml").doc_prefix
        number = archive.next_number(prefix, args.year)
    except ArchiveError as exc:
        print(f"zsreport：{exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    print(f"{prefix}〔{args.year}〕{number}号")
    return 0


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
        "archive": _archive,
    }
    return handlers[args.command](args)
