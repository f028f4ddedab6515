"""Render a quarter's documents: on every core, and only those that changed.

- Documents are laid out in a pool of processes, one document per task. Each document's PDF and
  DOCX depend on its tree alone, so the files are byte-identical to a serial run (tested).
- A document whose tree and render key (``fingerprint.render_key``) equal those recorded in the
  previous set's build.json, and whose files there are intact, is copied from the previous set
  instead of laid out again: after one unit's figures change, only the documents whose figures or
  ranks moved are rendered.
- One line per document as it finishes, counted ("[3/16] name, pages, seconds"), unless quiet.
- A worker dies with the build (``PR_SET_PDEATHSIG``): a build killed alone leaves no worker
  rendering on. A worker killed alone ends the build with ``RenderInterrupted`` (a Chinese message
  naming the documents left unfinished), never a ``BrokenProcessPool`` traceback.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import gc
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from zsreport import faults
from zsreport.atomic import sha256_file
from zsreport.fingerprint import render_key
from zsreport.model import Document
from zsreport.render.docx import render_docx
from zsreport.render.ofd import render_ofd
from zsreport.render.pdf import colophon_plan, page_order, pdf_lines, render_pdf

Progress = Callable[[str], None]


class RenderInterrupted(Exception):
    """A render worker died (killed, or out of memory) before its documents were written."""


@dataclass(frozen=True)
class Rendered:
    slug: str
    names: tuple[str, ...]  # the PDF's and the DOCX's file names
    key: str  # the document key the files were made from
    seconds: float
    reused: bool = False


def document_key(document: Document, ofd: bool = False) -> str:
    """The document's tree (every text, number and chart byte) with the render key, and whether
    an OFD is made beside the PDF (a set without one is not reused for a set with one)."""
    made = "\0ofd" if ofd else ""
    return hashlib.sha256(f"{render_key()}{made}\0{document!r}".encode()).hexdigest()


def render_document(document: Document, folder: Path, ofd: bool = False) -> tuple[str, ...]:
    """One document as PDF and DOCX (and OFD, from the PDF's pages) into ``folder``; the file names."""
    pdf = render_pdf(document, folder / f"{document.meta.slug}.pdf")
    made = (render_ofd(document, pdf, folder / f"{document.meta.slug}.ofd").name,) if ofd else ()
    # The DOCX cannot paginate: it takes the 版记's page, and the blocks' order (a figure deferred
    # to the next page, text moved ahead of it), and the lines of its paragraphs, from the PDF's
    # layout of the same tree.
    plan = colophon_plan(document) if document.colophon else None
    docx = render_docx(
        page_order(document),
        folder / f"{document.meta.slug}.docx",
        colophon_own_page=plan.new_page if plan else None,
        colophon_unnumbered=plan.unnumbered if plan else False,
        lines=pdf_lines(document),
    )
    return pdf.name, docx.name, *made


def _timed_render(document: Document, folder: Path, key: str, ofd: bool = False) -> Rendered:
    faults.checkpoint("render-document")
    started = time.perf_counter()
    names = render_document(document, folder, ofd)
    seconds = time.perf_counter() - started
    # weasyprint's laid-out pages hold reference cycles that only a full collection frees:
    # collecting after each document keeps a batch's peak memory at about one document's layout
    gc.collect()
    return Rendered(document.meta.slug, names, key, seconds)


def _reusable(previous: Path | None) -> dict[str, tuple[str, dict[str, str]]]:
    """slug → (document key, {file name: sha256}) of the previous set's intact documents."""
    if previous is None:
        return {}
    try:
        record = json.loads((previous / "build.json").read_text(encoding="utf-8"))
        files = record["files"]
        found = {}
        for doc in record["documents"]:
            digests = {name: files[name] for name in doc["files"]}
            if doc.get("key") and all(sha256_file(previous / n) == d for n, d in digests.items()):
                found[doc["slug"]] = (doc["key"], digests)
        return found
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def render_set(
    documents: list[Document],
    folder: Path,
    previous: Path | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    ofd: bool = False,
) -> list[Rendered]:
    """Every document into ``folder``, in issuing order; reuse what ``previous`` holds unchanged.
    ``ofd``: an OFD beside each PDF."""
    keys = [document_key(d, ofd) for d in documents]
    reusable = _reusable(previous)
    done: dict[str, Rendered] = {}
    count = f"/{len(documents)}]"
    todo = []
    for document, key in zip(documents, keys, strict=True):
        slug = document.meta.slug
        if slug in reusable and reusable[slug][0] == key:
            for name in reusable[slug][1]:
                shutil.copyfile(previous / name, folder / name)  # type: ignore[operator]
            done[slug] = Rendered(slug, tuple(reusable[slug][1]), key, 0.0, reused=True)
            _report(done[slug], folder, progress, f"[{len(done)}{count}")
        else:
            todo.append((document, key))
    # closing: an interruption between two documents stops the pool before the staging folder goes
    with _long_lived_frozen(), contextlib.closing(_render_all(todo, folder, workers, ofd)) as finished:
        for rendered in finished:
            done[rendered.slug] = rendered
            faults.checkpoint("build-file")  # in this process: a kill here is the build's, not a worker's
            _report(rendered, folder, progress, f"[{len(done)}{count}")
    return [done[d.meta.slug] for d in documents]


@contextlib.contextmanager
def _long_lived_frozen() -> Iterator[None]:
    """The objects alive before rendering (the composed documents, the modules, the fonts) left out
    of the garbage collector's walks while documents are rendered (here and in the forked
    workers): the full collection after each document then walks that document's garbage only,
    about half of its cost (issue 25). Collected once first, so that no garbage is frozen."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _render_all(todo: list[tuple[Document, str]], folder: Path, workers: int, ofd: bool = False):
    """Rendered documents as they finish: in this process, or in a pool of ``workers``."""
    if workers <= 1 or len(todo) <= 1:
        for document, key in todo:
            yield _timed_render(document, folder, key, ofd)
        return
    # fork: the workers start with zsreport, weasyprint and the fonts already imported
    context = multiprocessing.get_context("fork")
    pool = concurrent.futures.ProcessPoolExecutor(
        min(workers, len(todo)), mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
    )
    with pool:
        # The longest documents first, so that no core is left with a long one at the end.
        order = sorted(todo, key=lambda item: -len(repr(item[0].body)))
        futures = {
            pool.submit(_timed_render, document, folder, key, ofd): document for document, key in order
        }
        try:
            for future in concurrent.futures.as_completed(futures):
                try:
                    yield future.result()
                except concurrent.futures.process.BrokenProcessPool:
                    unfinished = [futures[f].meta.slug for f in futures if not _succeeded(f)]
                    raise RenderInterrupted(
                        f"排版进程在生成{'、'.join(unfinished)}时意外终止（被结束，或内存不足）"
                    ) from None
        except BaseException as exc:  # Ctrl-C, a failed document, or the build stopped: nothing more
            if isinstance(exc, KeyboardInterrupt | GeneratorExit):
                _stop_workers(pool)  # their documents are discarded with the staging folder
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _succeeded(future: concurrent.futures.Future) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


_PR_SET_PDEATHSIG = 1


def _start_worker(parent: int) -> None:
    """Worker initializer: die with the build, and leave Ctrl-C to it."""
    _die_with(parent)
    _leave_ctrl_c_to_the_build()


def _die_with(parent: int) -> None:
    """Be killed by the kernel when the build that forked this worker dies, and end at once if it
    died before this line (the kernel then no longer tells)."""
    if sys.platform.startswith("linux"):
        # no prctl: the parent-pid check below still stops a worker born orphaned
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _stop_workers(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """End the workers at once rather than wait for the documents they are laying out (a Ctrl-C
    would otherwise wait for the city bulletin). ``_processes`` has been the executor's own list
    of its workers since Python 3.2 (``shutdown`` forgets it: call this first)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def _leave_ctrl_c_to_the_build() -> None:
    """A worker ignores Ctrl-C (the whole process group gets it): the build stops the pool and says
    so in one line, instead of each worker printing a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _report(rendered: Rendered, folder: Path, progress: Progress | None, count: str) -> None:
    if progress is None:
        return
    pdf = folder / rendered.names[0]
    pages = _page_count(pdf)
    how = "未变，沿用上次生成的文件" if rendered.reused else f"{rendered.seconds:.1f} 秒"
    progress(f"  {count} {rendered.slug}  {pages} 页  {how}")


def _page_count(pdf: Path) -> int:
    import pikepdf

    with pikepdf.open(pdf) as opened:
        return len(opened.pages)
