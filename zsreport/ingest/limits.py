"""A workbook is measured before it is read: a file that would unpack into more than any real
return (a zip bomb passed off as .xlsx, or a sheet filled down a million rows by mistake) is refused
with a message, and openpyxl never sees it, so memory stays bounded.

Three measures, each far beyond the largest return an office sends (the shipped ledger unpacks to
well under 1 MB): the file's own size; the sizes its parts declare unpacked (``zipfile``, and so
openpyxl, never inflates a part beyond its declared size: a zip that lies fails its CRC); and each
sheet's declared range (``<dimension ref>``, read from the first bytes of its XML).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable

MAX_FILE_BYTES = 50 << 20  # the .xlsx itself
MAX_UNPACKED_BYTES = 16 << 20  # every part of it, unpacked: openpyxl takes some 50 times that
MAX_DECLARED_CELLS = 10_000_000  # rows × columns of a sheet's declared range

_DIMENSION = re.compile(r'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')

Refuse = Callable[[str], Exception]  # found → the exception to raise (the caller's own kind)


def check_file_size(size: int, refuse: Refuse) -> None:
    if size > MAX_FILE_BYTES:
        raise refuse(f"文件有 {size / (1 << 20):.0f} MB，远超任何报表（上限 {MAX_FILE_BYTES >> 20} MB）")


def check_package(archive: zipfile.ZipFile, refuse: Refuse) -> None:
    """Raise ``refuse(found)`` for a package beyond any real return; read nothing else."""
    declared = sum(info.file_size for info in archive.infolist())
    if declared > MAX_UNPACKED_BYTES:
        packed = sum(info.compress_size for info in archive.infolist()) or 1
        raise refuse(
            f"文件解压后有 {declared / (1 << 20):.0f} MB（压缩比约 {declared // packed} 倍），"
            f"远超任何报表（上限 {MAX_UNPACKED_BYTES >> 20} MB）"
        )
    for info in archive.infolist():
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            _check_dimension(archive, info, refuse)


def _check_dimension(archive: zipfile.ZipFile, info: zipfile.ZipInfo, refuse: Refuse) -> None:
    with archive.open(info) as member:
        head = member.read(4096).decode("utf-8", "replace")
    found = _DIMENSION.search(head)
    if not found or not found.group(3):
        return  # a single cell or no declared range: the unpacked size bounds it
    rows = int(found.group(4)) - int(found.group(2) or 1) + 1
    columns = column_number(found.group(3)) - column_number(found.group(1) or "A") + 1
    if rows * columns > MAX_DECLARED_CELLS:
        ref = found.group(0).split('"')[1]
        raise refuse(
            f"工作表（{info.filename}）声明的范围是 {ref}，即 {rows} 行、{columns} 列，共 {rows * columns} 个单元格，"
            f"远超任何报表（上限 {MAX_DECLARED_CELLS} 个单元格）"
        )


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number
