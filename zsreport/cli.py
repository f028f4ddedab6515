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
    build.add_argument(
        "--jobs", type=int, default=0, help="documents laid out at once (default: one per CPU core)"
    )
    build.add_argument(
        "--force", action="store_true", help="rebuild even when nothing changed since the last build"
    )
    build.add_argument("-q", "--quiet", action="store_true", help="print only problems")

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
    _returns_parsers(sub)
    return parser


def _returns_parsers(sub) -> None:
    """``forms`` (one return workbook per unit) and ``collect`` (read them back), issue 12."""
    forms = sub.add_parser("forms", help="write one return workbook per unit for the quarter (报表)")
    forms.add_argument("--year", type=int, required=True)
    forms.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), required=True)
    forms.add_argument("--data", type=Path, default=DATA_DIR, help=f"data folder (default: {DATA_DIR})")
    forms.add_argument(
        "--out", type=Path, default=None, help="where to write the forms (default: returns/<year>Q<q>/报表)"
    )
    forms.add_argument("--replace", action="store_true", help="overwrite forms written before")
    collect = sub.add_parser(
        "collect", help="read the units' returned workbooks into the quarter's 季度完成情况 and 项目库"
    )
    collect.add_argument("--year", type=int, required=True)
    collect.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), required=True)
    collect.add_argument("--from", dest="from_dir", type=Path, required=True, help="folder of the returns")
    collect.add_argument("--data", type=Path, default=DATA_DIR, help=f"data folder (default: {DATA_DIR})")
    collect.add_argument("--replace", action="store_true", help="overwrite the consolidated files")


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


def _unchanged(args: argparse.Namespace, year: int, quarter: int) -> int | None:
    """Files of a set built from exactly these inputs and still intact, or None (must build).
    Imports nothing heavy: a rebuild with nothing changed takes a fraction of a second."""
    from zsreport.fingerprint import input_key, unchanged_set

    options = {"briefing_mode": args.briefing_mode, "preprinted": args.preprinted, "plain": args.plain}
    live = args.out / f"{year}Q{quarter}"
    count = unchanged_set(live, input_key(args.data, year, quarter, options))
    if count is None or _numbers_taken_since(live, args.archive):
        return None
    return count


def _numbers_taken_since(live: Path, archive: Path) -> bool:
    """Whether a 发文字号 of the built set was issued to another document since (then build, which
    refuses with the full message)."""
    import json

    from zsreport.archive import Archive, ArchiveError

    record = json.loads((live / "build.json").read_text(encoding="utf-8"))
    numbers = {d["doc_number"]: d["slug"] for d in record["documents"] if d.get("doc_number")}
    try:
        return bool(Archive(archive).number_holders(numbers))
    except ArchiveError:
        return True


def _build(args: argparse.Namespace) -> int:
    year, quarter = _resolve_period(args.data, args.year, args.quarter)
    say = (lambda line: None) if args.quiet else print
    if not args.force and (count := _unchanged(args, year, quarter)) is not None:
        say(
            f"zsreport：输入与上次生成时完全相同，{args.out / f'{year}Q{quarter}'} 中的 {count} 个文件已核对无误，无需重新生成。"
        )
        return 0

    from zsreport.batch import default_workers
    from zsreport.build import build_quarter
    from zsreport.ingest import InputError
    from zsreport.model import Mode
    from zsreport.staging import BusyError

    say(f"zsreport：正在生成{year}年第{quarter}季度文件（数据：{args.data}）")
    try:
        result = build_quarter(
            args.data, year, quarter, args.out, Mode(args.briefing_mode), args.preprinted, args.plain,
            archive_root=args.archive, workers=args.jobs or default_workers(), progress=say,
        )  # fmt: skip
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
    reused = f"（其中 {result.reused} 份未变，沿用上次的文件）" if result.reused else ""
    say(
        f"zsreport：已生成 {len(result.documents)} 份公文{reused}、{len(result.files)} 个文件，"
        f"用时 {result.seconds:.1f} 秒，在 {result.out_dir}。"
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


def _forms(args: argparse.Namespace) -> int:
    from zsreport import PROJECT_ROOT
    from zsreport.ingest.returns import FormsExist, write_returns

    out = args.out or PROJECT_ROOT / "returns" / f"{args.year}Q{args.quarter}" / "报表"
    if not (args.data / "registry.toml").is_file():
        print(
            f"zsreport：找不到 {args.data / 'registry.toml'}（单位名单），请用 --data 指定数据文件夹。",
            file=sys.stderr,
        )
        return EXIT_INPUT_ERROR
    try:
        paths = write_returns(args.data, args.year, args.quarter, out, replace=args.replace)
    except FormsExist as exc:
        print(f"zsreport：{exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    for path in paths:
        print(f"  {path}")
    print(f"zsreport：已生成 {len(paths)} 份单位报表，在 {out}。请发给各单位填写，收回后运行 collect。")
    return 0


def _collect(args: argparse.Namespace) -> int:
    from zsreport.ingest.collect import collect_returns, consolidated_paths, write_collection
    from zsreport.ingest.collect_write import status_report

    if not args.from_dir.is_dir():
        print(
            f"zsreport：找不到报表文件夹“{args.from_dir}”，请用 --from 指定收回报表所在的文件夹。",
            file=sys.stderr,
        )
        return EXIT_INPUT_ERROR
    existing = [p for p in consolidated_paths(args.data, args.year, args.quarter) if p.exists()]
    if existing and not args.replace:
        print(
            f"zsreport：{existing[0]} 已存在，未改动任何文件。如确要用收回的报表重新汇总并覆盖，请加 --replace。",
            file=sys.stderr,
        )
        return EXIT_INPUT_ERROR
    collection = collect_returns(args.from_dir, args.data, args.year, args.quarter)
    report = status_report(collection)
    print(report)
    if collection.errors or collection.dataset is None:
        (args.from_dir / "报送情况.txt").write_text(report, encoding="utf-8")
        print(
            f"zsreport：有 {len(collection.errors)} 个错误或未报送的单位，未写入汇总表（{args.data} 未改动）。"
            f"报送情况已写入 {args.from_dir / '报送情况.txt'}。",
            file=sys.stderr,
        )
        return EXIT_INPUT_ERROR
    for path in write_collection(collection, args.data):
        print(f"  {path}")
    print(f"zsreport：已汇总 {len(collection.returns)} 个单位的报表。下一步：check，然后 build。")
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
        "forms": _forms,
        "collect": _collect,
        "issue": _issue,
        "verify": _verify,
        "conform": _conform,
        "archive": _archive,
    }
    return handlers[args.command](args)
