"""What a failed file operation means to the office, in Chinese: the disk is full, the folder is
read-only, a path is a file where a folder should be. Every command ends in such a sentence, never
in an ``OSError`` traceback."""

from __future__ import annotations

import errno
import sqlite3

_CAUSES = {
    errno.ENOSPC: ("磁盘空间不足", "请腾出磁盘空间（或换一个空间足够的文件夹）后重新运行"),
    errno.EDQUOT: ("磁盘配额已用完", "请腾出空间后重新运行"),
    errno.EROFS: ("所在的磁盘或文件夹是只读的", "请换一个可以写入的文件夹，或请管理员改为可写后重新运行"),
    errno.EACCES: ("没有写入（或读取）权限", "请换一个有权限的文件夹，或请管理员开放权限后重新运行"),
    errno.EPERM: (
        "操作不被允许（文件或文件夹被锁定为不可改动）",
        "请换一个文件夹，或请管理员解除锁定后重新运行",
    ),
    errno.ENOTDIR: ("路径中有一段是文件而不是文件夹", "请检查路径，把挡路的文件移走或改名后重新运行"),
    errno.EISDIR: ("应是文件的地方是一个文件夹", "请检查路径后重新运行"),
    errno.EEXIST: ("该位置已有同名的文件", "请把它移走或改名后重新运行"),
    errno.ENOENT: ("找不到该文件或文件夹", "请检查路径后重新运行"),
    errno.EIO: ("磁盘读写出错", "请检查磁盘后重新运行"),
}


def describe(exc: BaseException, where: object = None) -> str:
    """``exc`` (an ``OSError`` or SQLite's) as: what happened, where (``where`` when the error does
    not say, as a full disk met inside a zip writer does not), what to do."""
    if isinstance(exc, sqlite3.Error):
        full = "full" in str(exc).lower()
        cause, fix = _CAUSES[errno.ENOSPC] if full else ("数据库读写出错", "请检查磁盘后重新运行")
        return f"{cause}（文号登记库：{exc}），{fix}"
    assert isinstance(exc, OSError)
    named = " → ".join(str(p) for p in (exc.filename, exc.filename2) if p) or where
    cause, fix = _CAUSES.get(exc.errno or 0, (f"文件操作失败（{exc.strerror or exc}）", "请检查后重新运行"))
    return f"{cause}：{named or '（未知位置）'}。{fix}"
