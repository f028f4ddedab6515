"""A quarter's output folder is replaced whole or not at all, by one builder at a time.

A build writes into a staging folder beside ``out/<year>Q<q>/`` and swaps it in by rename only when
every file is written, so a reader (or ``issue``) sees either the previous set or the new one, never
a mixture: a build killed half-way leaves the previous set exactly as it was.

The swap is two renames (live → ``.old``, staging → live). A process killed between them leaves
no live folder but an ``.old`` one; the next builder to take the lock puts it back (``recover``).

The lock is ``fcntl.flock`` on a file beside the folder: the kernel releases it when its process
dies, so a lock left by a killed build is simply taken over, with no stale-lock guessing.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
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


def _sibling(live: Path, suffix: str) -> Path:
    return live.parent / f".{live.name}{suffix}"


@contextlib.contextmanager
def quarter_lock(live: Path) -> Iterator[None]:
    """Hold the lock of ``live`` (an ``out/<year>Q<q>`` folder) or raise ``BusyError`` at once."""
    live.parent.mkdir(parents=True, exist_ok=True)
    lock_path = _sibling(live, LOCK_SUFFIX)
    with lock_path.open("a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "另一个进程"
            raise BusyError(
                f"{live} 正由另一个生成进程写入（{holder}）。请等它结束后再运行；同一季度不能同时生成两次。"
            ) from None
        lock.seek(0)
        lock.truncate()
        lock.write(f"进程 {os.getpid()}，开始于 {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        lock.flush()
        yield
        # The lock goes with the file descriptor; the file itself stays (removing it would race).


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
    old = _sibling(live, OLD_SUFFIX)
    if live.exists():
        os.replace(live, old)
        faults.checkpoint("build-half-swapped")
    os.replace(staging, live)
    fsync_path(live.parent)
    if old.exists():
        shutil.rmtree(old)
