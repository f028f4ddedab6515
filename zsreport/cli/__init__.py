"""Command line: ``zsreport build|check|template|forms|collect|issue|verify|archive|conform``.

Exit codes: 0 done; 1 the input has errors (listed) or the command was refused (a busy build, an
archive that would be changed); 2 the command itself is malformed (``parser``). ``verify`` says
2 when the archive cannot be read at all."""

from __future__ import annotations

import argparse
import functools
import sqlite3
import sys
from pathlib import Path

from zsreport import DATA_DIR, RETURNS_DIR, SAMPLE_DATA_DIR, config_file
from zsreport.cli.parser import EXIT_USAGE, build_parser

__all__ = ["EXIT_INPUT_ERROR", "EXIT_USAGE", "main"]

EXIT_INPUT_ERROR = 1
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C


def data_in_use(given: Path | None) -> Path:
    """The data folder a command reads: the one given; else ./data when the folder the command runs
    in has one; else the shipped 2020 sample, said in one line (so that ``zsreport build`` in an
    empty folder builds the sample quarter, and nobody mistakes it for their own data)."""
    if given is not None:
        return given
    if DATA_DIR.is_dir():
        return DATA_DIR
    # Said even with -q: a clerk in the wrong folder must not take the sample for the office's data.
    print(
        f"zsreport：当前文件夹下没有 {DATA_DIR} 文件夹，使用自带的 2020 年示例数据（{SAMPLE_DATA_DIR}）；"
        "生成的公文标有“示例数据”，不能印发。",
        file=sys.stderr,
    )
    return SAMPLE_DATA_DIR


def _resolve_period(
    data_dir: Path, year: int | None, quarter: int | None, quiet: bool = False
) -> tuple[int, int]:
    """The quarter a command acts on: the one named; else the latest with data (of ``--year`` when
    given), said in one line with the reason, and naming any later quarter begun but not collected."""
    from zsreport.ingest import available_quarters

    found = [yq for yq in available_quarters(data_dir) if year is None or yq[0] == year]
    if quarter is not None:
        if year is None:
            raise SystemExit("zsreport：指定 --quarter 时还须指定 --year，例如 --year 2020 --quarter 4")
        return year, quarter
    if not found:
        where = f"{data_dir}/{year}" if year else str(data_dir)
        raise SystemExit(f"zsreport：在 {where} 下没有找到季度数据（应有 2020/2020Q4/ 这样的文件夹）")
    chosen = found[-1]
    _say_chosen(data_dir, chosen, quiet)
    return chosen


def _say_chosen(data_dir: Path, chosen: tuple[int, int], quiet: bool) -> None:
    from zsreport.ingest.quarters import started_quarters

    later = {yq: what for yq, what in started_quarters(data_dir, RETURNS_DIR).items() if yq > chosen}
    name = f"{chosen[0]}年第{chosen[1]}季度"
    if not later:
        if not quiet:
            print(f"zsreport：未指定季度，用数据中最新的季度：{name}。", file=sys.stderr)
        return
    for (y, q), what in later.items():  # said even with -q: the clerk may have meant that quarter
        print(
            f"zsreport：{y}年第{q}季度的数据还不完整（{what}），因此用数据中最新的完整季度：{name}。"
            f"要生成{y}年第{q}季度，请先收齐报表（collect），再运行 build --year {y} --quarter {q}。",
            file=sys.stderr,
        )


def _print_problems(problems: list) -> None:
    from zsreport.ingest import format_problems

    print(format_problems(problems), file=sys.stderr)


def _unchanged(args: argparse.Namespace, year: int, quarter: int) -> int | None:
    """Files of a set built from exactly these inputs and still intact, or None (must build).
    Imports nothing heavy: a rebuild with nothing changed takes a fraction of a second."""
    from zsreport.fingerprint import build_options, input_key, unchanged_set

    options = build_options(args.briefing_mode, args.preprinted, args.plain, args.draft, args.ofd)
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
    year, quarter = _resolve_period(args.data, args.year, args.quarter, args.quiet)
    say = (lambda line: None) if args.quiet else functools.partial(print, flush=True)  # lines as they come
    if not args.force and (count := _unchanged(args, year, quarter)) is not None:
        say(
            f"zsreport：输入与上次生成时完全相同，{args.out / f'{year}Q{quarter}'} 中的 {count} 个文件已核对无误，无需重新生成。"
        )
        return 0

    from zsreport.cli.environment import fonts_missing_message
    from zsreport.fonts import FontsMissing, require_fonts, role_faces

    try:  # before the pipeline is imported (weasyprint warns in English when fontconfig has no font)
        require_fonts()
    except FontsMissing as exc:
        print(fonts_missing_message(exc.missing, args.out), file=sys.stderr)
        return EXIT_INPUT_ERROR

    say(f"zsreport：正在生成{year}年第{quarter}季度文件（数据：{args.data}）")
    from zsreport.batch import RenderInterrupted, default_workers
    from zsreport.build import OfdError, build_quarter
    from zsreport.cli.oserror import describe
    from zsreport.compose.chart_fonts import ChartFontError
    from zsreport.ingest import InputError
    from zsreport.model import Mode
    from zsreport.staging import BusyError, NotAFolderError

    try:
        result = build_quarter(
            args.data, year, quarter, args.out, Mode(args.briefing_mode), args.preprinted, args.plain,
            archive_root=args.archive, workers=args.jobs or default_workers(), progress=say, draft=args.draft,
            reuse=not args.force,  # --force: every document laid out afresh, none copied from the last set
            ofd=args.ofd,
        )  # fmt: skip
    except OfdError as exc:
        print(f"zsreport：{exc}{args.out / f'{year}Q{quarter}'} 保持原样。", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except InputError as exc:
        _print_problems(exc.problems)
        print(
            f"zsreport：数据有错误，未生成任何文件（{args.out} 未改动）。请按上表改正后重新运行。",
            file=sys.stderr,
        )
        return EXIT_INPUT_ERROR
    except (BusyError, NotAFolderError) as exc:
        print(f"zsreport：{exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except RenderInterrupted as exc:
        print(
            f"zsreport：{exc}。{_previous_set_note(args, year, quarter)}请重新运行 build。", file=sys.stderr
        )
        return EXIT_INPUT_ERROR
    except FontsMissing as exc:
        print(fonts_missing_message(exc.missing, args.out), file=sys.stderr)
        return EXIT_INPUT_ERROR
    except ChartFontError:  # fontconfig has the faces but matplotlib cannot open them
        hei = [face for face in role_faces() if face.role == "hei"]
        print(fonts_missing_message(hei, args.out), file=sys.stderr)
        return EXIT_INPUT_ERROR
    except OSError as exc:
        print(
            f"zsreport：生成未完成：{describe(exc, args.out)}。{_previous_set_note(args, year, quarter)}",
            file=sys.stderr,
        )
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


def _previous_set_note(args: argparse.Namespace, year: int, quarter: int) -> str:
    live = args.out / f"{year}Q{quarter}"
    return f"{live} 保持原样（上一套文件未改动）。" if live.is_dir() else "未生成任何文件。"


def _check(args: argparse.Namespace) -> int:
    from zsreport.build import prepare
    from zsreport.ingest import InputError
    from zsreport.model import Mode

    year, quarter = _resolve_period(args.data, args.year, args.quarter, args.quiet)
    try:
        prepared = prepare(args.data, year, quarter, args.archive, Mode(args.briefing_mode), draft=args.draft)
    except InputError as exc:
        _print_problems(exc.problems)
        return EXIT_INPUT_ERROR
    if prepared.warnings:
        _print_problems(list(prepared.warnings))
    print(f"zsreport：{year}年第{quarter}季度数据校验通过（{len(prepared.warnings)} 个警告）。")
    if prepared.dataset.unreported:
        print(
            f"征求意见稿：{'、'.join(prepared.dataset.unreported)}未报送，只能 build --draft，不能印发归档。"
        )
    print("本季度公文及发文字号（按印发顺序，均未被归档中的其他公文使用）：")
    for entry in prepared.plan:
        print(f"  {entry.doc_number}  {entry.slug}")
    return 0


def _template(args: argparse.Namespace) -> int:
    from zsreport.ingest import write_templates
    from zsreport.ingest.dataset import Registry

    registry = Registry.from_toml(config_file(args.data, "registry.toml"))
    for path in write_templates(args.year, args.out, registry):
        print(f"  {path}")
    return 0


def _forms(args: argparse.Namespace) -> int:
    from zsreport.ingest import InputError
    from zsreport.ingest.returns import FormsExist, write_returns

    out = args.out or RETURNS_DIR / f"{args.year}Q{args.quarter}" / "报表"
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        print(
            f"zsreport：{out} 不是文件夹（是一个文件或链接），未写入任何报表。请用 --out 指定一个文件夹。",
            file=sys.stderr,
        )
        return EXIT_INPUT_ERROR
    before = _files_in(out)
    try:
        paths = write_returns(args.data, args.year, args.quarter, out, replace=args.replace)
    except FormsExist as exc:
        print(f"zsreport：{exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except InputError as exc:
        _print_problems(exc.problems)
        print(
            f"zsreport：没有可用的{args.year}年招商计划表，未生成任何报表。请按上表改正后重新运行。",
            file=sys.stderr,
        )
        return EXIT_INPUT_ERROR
    except OSError as exc:
        from zsreport.cli.oserror import describe

        for path in _files_in(out) - before:  # a half set of forms is never left to be sent out
            path.unlink(missing_ok=True)
        print(f"zsreport：报表未生成：{describe(exc, out)}。本次未留下任何报表文件。", file=sys.stderr)
        return EXIT_INPUT_ERROR
    for path in paths:
        print(f"  {path}")
    print(f"zsreport：已生成 {len(paths)} 份单位报表，在 {out}。请发给各单位填写，收回后运行 collect。")
    return 0


def _files_in(folder: Path) -> set[Path]:
    try:
        return {p for p in folder.iterdir() if p.is_file()}
    except OSError:
        return set()


def _collect(args: argparse.Namespace) -> int:
    from zsreport.atomic import write_text_atomic
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
    collection = collect_returns(args.from_dir, args.data, args.year, args.quarter, cutoff=args.cutoff)
    report = status_report(collection)
    print(report)
    if collection.errors or collection.dataset is None:
        # Never through a symlink placed in the returns folder: a new file is renamed over the name.
        write_text_atomic(args.from_dir / "报送情况.txt", report)
        print(
            f"zsreport：有 {len(collection.errors)} 个错误或未报送的单位，未写入汇总表（{args.data} 未改动）。"
            f"报送情况已写入 {args.from_dir / '报送情况.txt'}。",
            file=sys.stderr,
        )
        return EXIT_INPUT_ERROR
    for path in write_collection(collection, args.data):
        print(f"  {path}")
    print(f"zsreport：已汇总 {len(collection.returns)} 个单位的报表。", end="")
    if collection.missing:
        print(
            f"{'、'.join(collection.missing)}未报送，汇总表中记为“未报送”：在收齐之前只能生成征求意见稿"
            f"（build --draft）；收到后放入 {args.from_dir}，运行 collect --replace 重新汇总。"
        )
    else:
        print("下一步：check，然后 build。")
    return 0


def _latest_built(out: Path, year: int | None) -> tuple[int, int]:
    """``issue`` without a quarter: the latest set built in ``out`` (of ``year`` when given), said."""
    from zsreport.ingest.quarters import QUARTER_FOLDER

    built = sorted(
        (int(m[1]), int(m[2]))
        for folder in (out.iterdir() if out.is_dir() else ())
        if (m := QUARTER_FOLDER.match(folder.name)) and (folder / "build.json").is_file()
        if year is None or int(m[1]) == year
    )
    if not built:
        raise SystemExit(
            f"zsreport：{out} 中还没有生成好的公文，请先运行 build（或用 --year、--quarter 指定季度）。"
        )
    print(
        f"zsreport：未指定季度，归档最近生成的一套：{built[-1][0]}年第{built[-1][1]}季度。", file=sys.stderr
    )
    return built[-1]


def _issue(args: argparse.Namespace) -> int:
    from zsreport.archive import Archive, ArchiveError

    if args.quarter is None:
        args.year, args.quarter = _latest_built(args.out, args.year)
    elif args.year is None:
        raise SystemExit("zsreport：指定 --quarter 时还须指定 --year，例如 --year 2020 --quarter 4")
    try:
        added = Archive(args.archive).issue(args.out / f"{args.year}Q{args.quarter}", data_dir=args.data)
    except ArchiveError as exc:
        print(f"zsreport：{exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except (OSError, sqlite3.Error) as exc:
        from zsreport.cli.oserror import describe

        pending = args.archive / ".pending"
        committed = pending.is_dir() and any(pending.iterdir())  # staged work left is committed work
        state = (
            "文号已登记，未移入的文件在下次运行 issue 时补完"
            if committed
            else "本次没有登记任何文号，归档保持原样"
        )
        print(
            f"zsreport：归档未完成：{describe(exc, args.archive)}。{state}（运行 zsreport verify 可核对）。",
            file=sys.stderr,
        )
        return EXIT_INPUT_ERROR
    for entry in added:
        note = f"（第{entry.revision}版）" if entry.revision > 1 else ""
        print(f"  {entry.doc_number}  {entry.name}{note}")
    print(f"zsreport：已归档 {len(added)} 个文件到 {args.archive}（内容未变的文件不重复归档）。")
    if added.backfilled:
        print(f"zsreport：本归档建于防伪链之前，已为此前的 {added.backfilled} 次归档补建防伪链。")
    if added.link is not None:
        _receipt(args, added.link)
    return 0


def _receipt(args: argparse.Namespace, link) -> None:
    """Print the chain head and keep it in a receipt beside the set (out/), outside the archive."""
    import datetime as dt

    from zsreport.archive.chain import write_receipt

    print(f"zsreport：防伪链第 {link.seq} 环，链头 {link.head}")
    try:
        path = write_receipt(args.out / f"{link.quarter}-归档回执.txt", link, args.archive, dt.datetime.now())
    except OSError as exc:
        print(
            f"zsreport：归档已完成，但回执未能写入 {args.out}（{exc}）；请抄下上面的链头另行保存。",
            file=sys.stderr,
        )
        return
    print(
        f"zsreport：回执已写入 {path}，请另存于归档之外（打印或拷走）；日后可运行 zsreport verify --receipt 该文件 核对。"
    )


def _receipt_head(args: argparse.Namespace) -> str | None:
    """The head given by ``--head`` or read from ``--receipt``; SystemExit(2) with a message if unusable."""
    from zsreport.archive.chain import read_head

    if args.head is not None:
        head = read_head(args.head.strip())
        if head is None:
            print(
                f"zsreport：--head {args.head} 不是链头（应为回执上“链头：”后的 64 位十六进制数）。",
                file=sys.stderr,
            )
            raise SystemExit(2)
        return head
    if args.receipt is None:
        return None
    try:
        text = args.receipt.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        print(f"zsreport：无法读取回执 {args.receipt}（{exc.strerror or exc}）。", file=sys.stderr)
        raise SystemExit(2) from None
    head = read_head(text)
    if head is None:
        print(f"zsreport：{args.receipt} 中找不到“链头：”一行，不是归档回执。", file=sys.stderr)
        raise SystemExit(2)
    return head


def _verify(args: argparse.Namespace) -> int:
    from zsreport.archive import Archive

    head = _receipt_head(args)
    verdict = Archive(args.archive).verdict(head)
    for problem in verdict.all():
        print(problem, file=sys.stderr)
    for note in verdict.notes:
        print(f"zsreport：{note}")
    if head and verdict.exit_code == 0:
        print(f"zsreport：回执链头 {head[:16]}… 在防伪链中，回执之前的归档未被改写。")
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

        prefix = args.prefix or Office.from_toml(config_file(args.data, "office.toml")).doc_prefix
        unbacked = archive.numbers_without_quarter()
        if unbacked:
            shown = "、".join(f"{n}（{q or '无季度'}）" for n, q in unbacked[:5])
            print(
                f"zsreport：文号登记库中有 {len(unbacked)} 个文号不属于任何已归档的季度：{shown}。"
                "下一个可用文号会因此跳号，未给出。请先运行 zsreport verify 查明这些登记的来历。",
                file=sys.stderr,
            )
            return EXIT_INPUT_ERROR
        number = archive.next_number(prefix, args.year)
    except ArchiveError as exc:
        print(f"zsreport：{exc}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    print(f"{prefix}〔{args.year}〕{number}号")
    return 0


def _conform(args: argparse.Namespace) -> int:
    from zsreport import conformance

    return conformance.main([str(path) for path in args.files], verbose=args.verbose)


def _doctor(args: argparse.Namespace) -> int:
    from zsreport.cli.environment import doctor

    return doctor(args)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.quiet = args.global_quiet or getattr(args, "quiet", False)
    args.verbose = args.verbose or getattr(args, "command_verbose", False)
    if "data" in args and args.command != "issue":  # issue's default: the folder build.json names
        args.data = data_in_use(args.data)
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
        "环境检查": _doctor,
        "doctor": _doctor,
    }
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:  # Ctrl-C: one line, no traceback; a build's staging folder is already gone
        kept = f"，{args.out} 中原有的文件未改动" if args.command == "build" else ""
        print(f"\nzsreport：已中断（Ctrl-C）{kept}。", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        from zsreport.ingest.problems import InputError

        if not isinstance(exc, InputError):
            raise
        _print_problems(exc.problems)  # e.g. an unsafe unit name in registry.toml, for any command
        return EXIT_INPUT_ERROR
