"""A quarter's output folder is replaced whole or not at all, by one builder at a time.

A build writes into a staging folder beside ``out/<year>Q<q>/`` and swaps it in by rename only when
every file is written, so a reader (or ``issue``) sees either the previous set or the new one, never
a mixture: a build killed half-way leaves the previous set exactly as it was.

On Linux the swap is one step: ``renameat2(RENAME_EXCHANGE)`` exchanges the two folders, so the
quarter's folder exists, complete, at every moment; the previous set is then under the staging name
and is removed. Elsewhere (or on a file system without the call) it is two renames (live →
``.old``, staging → live): a process killed between them leaves no live folder but an ``.old`` one,
which the next builder to take the lock puts back (``recover``).

The lock is ``fcntl.flock`` on a file beside the folder: the kernel releases it when its process
dies, so a lock left by a killed build is simply taken over, with no stale-lock guessing. A forked
child (a render worker) would share the lock and keep it after the build died; every fork closes
the held lock descriptors in the child (``os.register_at_fork``), so only the builder holds it.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from zsreport import faults
from zsreport.atomic import fsync_path

STAGING_SUFFIX = ".staging"
OLD_SUFFIX = ".old"
LOCK_SUFFIX = ".lock"


class BusyError(Exception):
    """Another build holds the quarter's lock."""


class NotAFolderError(Exception):
    """Where the quarter's folder (or the out folder) should be there is something else."""


# Lock descriptors this process holds; a forked child closes them at once (see the module's note).
_held_locks: set[int] = set()


def _close_inherited_locks() -> None:
    for fd in _held_locks:
        with contextlib.suppress(OSError):
            os.close(fd)
    _held_locks.clear()


os.register_at_fork(after_in_child=_close_inherited_locks)


def _sibling(live: Path, suffix: str) -> Path:
    return live.parent / f".{live.name}{suffix}"


@contextlib.contextmanager
def quarter_lock(live: Path) -> Iterator[None]:
    """Hold the lock of ``live`` (an ``out/<year>Q<q>`` folder) or raise ``BusyError`` at once."""
    check_folders(live)
    live.parent.mkdir(parents=True, exist_ok=True)
    # O_CLOEXEC: a program started by exec never holds it either
    fd = os.open(_sibling(live, LOCK_SUFFIX), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or "另一个进程"
            raise BusyError(
                f"{live} 正由另一个生成进程写入（{holder}）。请等它结束后再运行；同一季度不能同时生成两次。"
            ) from None
        _held_locks.add(fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"进程 {os.getpid()}，开始于 {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode(), 0)
        yield
    finally:
        # The lock goes with the file descriptor; the file itself stays (removing it would race).
        _held_locks.discard(fd)
        os.close(fd)


def check_folders(live: Path) -> None:
    """Refuse, before anything is written, an out folder or quarter folder that is not a folder."""
    for path, what in ((live.parent, "输出文件夹"), (live, "季度文件夹")):
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            raise NotAFolderError(
                f"{what} {path} 不是文件夹（是一个文件或链接），未改动任何文件。"
                f"请把它移走或改名，或用 --out 指定另一个文件夹，然后重新运行。"
            )


def recover(live: Path) -> None:
    """Finish or undo what a killed build left beside ``live``; call with the lock held."""
    old = _sibling(live, OLD_SUFFIX)
    if old.exists():
        if live.exists():
            shutil.rmtree(old)  # the swap finished; only the clean-up was cut short
        else:
            os.replace(old, live)  # killed between the two renames: the previous set comes back
    staging = _sibling(live, STAGING_SUFFIX)
    if staging.exists():
        shutil.rmtree(staging)  # an unfinished set is never shown


@contextlib.contextmanager
def staged_set(live: Path) -> Iterator[Path]:
    """Yield an empty staging folder; when the block ends without error, it replaces ``live`` whole.

    On any error (or a kill) the staging folder is discarded and ``live`` is untouched. Hold
    ``quarter_lock(live)`` around this.
    """
    recover(live)
    staging = _sibling(live, STAGING_SUFFIX)
    staging.mkdir(parents=True)
    try:
        yield staging
        swap_in(staging, live)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def swap_in(staging: Path, live: Path) -> None:
    """Make ``staging`` the live set: every file is on disk before the folder is renamed."""
    for path in staging.iterdir():
        fsync_path(path)
    fsync_path(staging)
    if live.exists() and exchange(staging, live):
        # one step: the new set is live, the previous one is under the staging name
        fsync_path(live.parent)
        faults.checkpoint("build-exchanged")
        shutil.rmtree(staging)
        return
    old = _sibling(live, OLD_SUFFIX)
    if live.exists():
        os.replace(live, old)
        faults.checkpoint("build-half-swapped")
    os.replace(staging, live)  # for a new quarter (no previous set) this plain rename is all
    fsync_path(live.parent)
    if old.exists():
        shutil.rmtree(old)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux ``renameat2``); False where that is not possible
    (another system, an old kernel or C library, a file system without it): the caller then renames
    twice."""
    if not sys.platform.startswith("linux") or os.environ.get("ZSREPORT_NO_EXCHANGE"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))
