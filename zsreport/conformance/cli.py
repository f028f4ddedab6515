"""``zsreport conform FILE...`` (and ``python -m zsreport.conformance FILE...``): measure each file
against GB/T 9704-2012 and say, in Chinese, each rule that fails with its measured value, then a
total; ``verbose`` prints every measurement. Exit 1 when any rule fails."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from zsreport.conformance.docx import check_docx, convert_docx_to_pdf
from zsreport.conformance.pdf import check_pdf
from zsreport.conformance.report import Finding, failures, format_report, rule_name

USAGE = "用法：python -m zsreport conform [-v] 文件.pdf|文件.docx ..."


def failure_line(finding: Finding) -> str:
    where = f"，第{finding.page}页" if finding.page else ""
    return (
        f"  不合格  {rule_name(finding.rule)}（GB/T 9704 {finding.clause}{where}）："
        f"测得 {finding.measured}；应为 {finding.expected}"
    )


def main(argv: Sequence[str] | None = None, verbose: bool = False) -> int:
    """Measure the files; print one line per failed rule (every measurement when ``verbose``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-v", "--verbose"):
        verbose, args = True, args[1:]
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if args else 2
    paths = [Path(a) for a in args]
    docx_pdfs = convert_docx_to_pdf([p for p in paths if p.suffix.lower() == ".docx" and p.exists()])
    measured = failed = missing = 0
    for path in paths:
        if not path.exists():
            print(f"{path}：文件不存在")
            missing += 1
            continue
        if path.suffix.lower() == ".docx":
            findings = check_docx(path, pdf=docx_pdfs.get(path))
        else:
            findings = check_pdf(path)
        wrong = failures(findings)
        measured, failed = measured + len(findings), failed + len(wrong)
        print(f"== {path}：{len(findings)} 项测量，{f'{len(wrong)} 项不合格' if wrong else '全部合格'}")
        if verbose:
            print(format_report(findings))
        else:
            for finding in wrong:
                print(failure_line(finding))
    files = len(paths) - missing
    print(
        f"共 {files} 个文件、{measured} 项测量，{failed} 项不合格{f'，{missing} 个文件不存在' if missing else ''}。"
    )
    return 1 if failed or missing else 0
