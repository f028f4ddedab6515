"""Faults as they happen to an office, each ending in a Chinese message, exit 1 or 2, and nothing
changed: a real SIGKILL of the real ``python -m zsreport`` process (or one of its workers), a real
read-only folder, a real small file system. Each test asserts the state afterwards."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.archive.conftest import leftovers
from zsreport import PROJECT_ROOT, staging
from zsreport.atomic import sha256_file

# ``python -m zsreport`` on the mini set: the real command line, with only the document list cut to
# the mini set's three documents (a few seconds instead of a minute), each laid out afresh (never
# copied from the previous set) so that a fault among the workers has work to strike.
MINI_CLI = """
import sys
import zsreport.build as b
from tests.mini import cut_to_mini
cut_to_mini(b)
render_set = b.render_set
b.render_set = lambda documents, folder, previous, *rest: render_set(documents, folder, None, *rest)
from zsreport.cli import main
sys.exit(main(sys.argv[1:]))
"""


def environment(fault: str | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "ZSREPORT_FAULT"}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    if fault:
        env["ZSREPORT_FAULT"] = fault
    return {**env, **extra}


def zsreport(*args: object, fault: str | None = None, mini: bool = True, **extra: str) -> subprocess.Popen:
    """Start ``python -m zsreport ARGS`` (on the mini set unless ``mini`` is False)."""
    command = [sys.executable, "-c", MINI_CLI] if mini else [sys.executable, "-m", "zsreport"]
    return subprocess.Popen(
        [*command, *map(str, args)], cwd=PROJECT_ROOT, env=environment(fault, **extra),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def run(*args: object, **kwargs) -> subprocess.CompletedProcess:
    process = zsreport(*args, **kwargs)
    stdout, stderr = process.communicate(timeout=600)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def build(data: Path, out: Path, *more: object, **kwargs) -> subprocess.CompletedProcess:
    return run(
        "build", "--data", data, "--out", out, "--year", 2020, "--quarter", 4, "--force", *more, **kwargs
    )


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: sha256_file(p) for p in sorted(folder.iterdir())}


def assert_refused_cleanly(result: subprocess.CompletedProcess, *words: str) -> None:
    """Exit 1 or 2, a Chinese message (with ``words``), no traceback."""
    assert result.returncode in (1, 2), (result.returncode, result.stderr[-3000:])
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr[-3000:]
    assert "zsreport：" in result.stderr or "【错误" in result.stderr, result.stderr
    flat = "".join(result.stderr.split())  # a problem table wraps its lines
    for word in words:
        assert word in flat, result.stderr


def lock_is_free(live: Path) -> bool:
    try:
        with staging.quarter_lock(live):
            return True
    except staging.BusyError:
        return False


# ------------------------------------------------------------------------------ the swap


@pytest.mark.slow
def test_a_build_killed_right_after_the_exchange_leaves_a_whole_set_live(fresh) -> None:
    """renameat2(RENAME_EXCHANGE): there is no moment without the quarter's folder."""
    data, out = fresh
    live = out / "2020Q4"
    before = snapshot(live)
    killed = build(data, out, "--jobs", 1, fault="build-exchanged:1")
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    # the new set is live and whole (every file its build.json lists); the previous one is debris
    import json

    record = json.loads((live / "build.json").read_text(encoding="utf-8"))
    assert {n: d for n, d in snapshot(live).items() if n != "build.json"} == record["files"]
    assert set(snapshot(live)) == set(before)
    assert leftovers(out) == [".2020Q4.staging"] and lock_is_free(live)
    again = build(data, out, "--jobs", 1)
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr[-2000:]
    assert leftovers(out) == [] and set(snapshot(live)) == set(before)


# ------------------------------------------------------------------------------ the process pool


def processes_naming(path: Path) -> list[int]:
    """Live processes whose command line names ``path`` (a build and its forked workers do)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if os.fsencode(path) in cmdline and state != "Z":
                found.append(int(entry.name))
    return found


def forked_workers(pid: int) -> list[int]:
    """The children of ``pid`` forked from it (its command line), not a program it runs."""
    try:
        own = Path(f"/proc/{pid}/cmdline").read_bytes()
        found = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        return [c for c in found if Path(f"/proc/{c}/cmdline").read_bytes() == own]
    except OSError:
        return []


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to find the workers")
def test_a_build_killed_alone_takes_its_workers_and_its_lock_with_it(fresh) -> None:
    data, out = fresh
    live = out / "2020Q4"
    before = snapshot(live)
    # killed in the main process after its first document, while the other worker still renders
    killed = build(data, out, "--jobs", 2, fault="build-file:1")
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    deadline = time.monotonic() + 10
    while processes_naming(out) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_naming(out) == [], "no worker outlives the build"
    assert lock_is_free(live) and snapshot(live) == before
    again = build(data, out, "--jobs", 2)
    assert again.returncode == 0, again.stderr[-2000:]
    assert leftovers(out) == [] and set(snapshot(live)) == set(before)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to find the workers")
def test_a_worker_killed_while_rendering_ends_the_build_in_a_message(fresh) -> None:
    data, out = fresh
    live = out / "2020Q4"
    before = snapshot(live)
    process = zsreport(
        "build", "--data", data, "--out", out, "--year", 2020, "--quarter", 4, "--force", "--jobs", 2
    )
    deadline = time.monotonic() + 120
    while len(forked_workers(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = forked_workers(process.pid)
    assert len(workers) == 2, "the build started its two workers"
    os.kill(workers[0], signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=600)
    result = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    assert_refused_cleanly(result, "排版进程", "意外终止", "保持原样")
    slugs = [name.removesuffix(".pdf") for name in before if name.endswith(".pdf")]
    assert any(slug in stderr for slug in slugs), stderr
    assert snapshot(live) == before and leftovers(out) == [] and lock_is_free(live)
    assert processes_naming(out) == []


# ------------------------------------------------------------------------------ the issue


def issue(data: Path, out: Path, archive: Path, **kwargs) -> subprocess.CompletedProcess:
    return run("issue", "--year", 2020, "--quarter", 4, "--out", out, "--archive", archive, "--data", data,
               mini=False, **kwargs)  # fmt: skip


def verify(archive: Path) -> subprocess.CompletedProcess:
    return run("verify", "--archive", archive, mini=False)


@pytest.mark.parametrize("fault", ["issue-manifest-moved:1", "issue-journal-left:1"])
def test_an_issue_killed_after_its_manifest_moved_is_finished_by_the_next(
    fresh, tmp_path: Path, fault
) -> None:
    data, out = fresh
    archive = tmp_path / "archive"
    killed = issue(data, out, archive, fault=fault)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert (archive / "2020Q4" / "manifest.json").exists() and list((archive / ".pending").iterdir())
    for _ in range(2):  # recovery is idempotent: verify reads, never repairs; each run says the same
        told = verify(archive)
        assert told.returncode == 1 and "Traceback" not in told.stderr and "中断" in told.stderr, told.stderr
    again = issue(data, out, archive)
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr[-2000:]
    assert "已归档 0 个文件" in again.stdout, again.stdout  # finished, not archived a second time
    assert list((archive / ".pending").iterdir()) == []
    for _ in range(2):
        assert verify(archive).returncode == 0
        assert issue(data, out, archive).returncode == 0


# ------------------------------------------------------------------------------ paths and disks


def test_out_given_as_a_file_is_refused(fresh, tmp_path: Path) -> None:
    data, _out = fresh
    (tmp_path / "outfile").write_text("not a folder")
    result = build(data, tmp_path / "outfile")
    assert_refused_cleanly(result, "不是文件夹", "outfile")
    assert (tmp_path / "outfile").read_text() == "not a folder"


def test_a_file_where_the_quarter_folder_should_be_is_refused_by_build_and_issue(
    fresh, tmp_path: Path
) -> None:
    data, _out = fresh
    other = tmp_path / "other"
    other.mkdir()
    (other / "2020Q4").write_text("a stray file")
    assert_refused_cleanly(build(data, other), "不是文件夹", "2020Q4")
    assert_refused_cleanly(issue(data, other, tmp_path / "archive"), "不是文件夹", "2020Q4")
    assert sorted(p.name for p in other.iterdir()) == ["2020Q4"] and (other / "2020Q4").is_file()
    assert not (tmp_path / "archive" / "registry.sqlite").exists()


def test_archive_given_as_a_file_is_refused_everywhere(fresh, tmp_path: Path) -> None:
    data, out = fresh
    archive = tmp_path / "archive-file"
    archive.write_text("not an archive")
    for result in (
        run("archive", "next-number", "--archive", archive, "--year", 2020, "--data", data, mini=False),
        issue(data, out, archive),
        run("check", "--data", data, "--archive", archive, "--year", 2020, "--quarter", 4, mini=False),
    ):
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
        assert "不是文件夹" in result.stderr and "1号" not in result.stdout, (result.stdout, result.stderr)
    assert archive.read_text() == "not an archive"


@pytest.fixture
def mount_point(tmp_path: Path):
    """A folder to mount a real small file system on (skipped where mounting is not allowed)."""
    point = tmp_path / "mnt"
    point.mkdir()
    mounted: list[Path] = []

    def mount(size: int, read_only: bool = False, fill: Path | None = None) -> Path:
        options = f"size={size}"
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a small file system here: {done.stderr.decode(errors='replace')}")
        mounted.append(point)
        if fill is not None:
            subprocess.run(["cp", "-a", f"{fill}/.", str(point)], check=True)
        if read_only:
            subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)
        return point

    yield mount
    for path in mounted:
        subprocess.run(["umount", "-l", str(path)], check=False)


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def test_a_read_only_out_folder_ends_in_a_message(fresh, mount_point) -> None:
    data, out = fresh
    before = snapshot(out / "2020Q4")
    ro = mount_point(16 << 20, read_only=True, fill=out)
    assert_refused_cleanly(build(data, ro), "只读")
    assert snapshot(ro / "2020Q4") == before and leftovers(ro) == []


@pytest.mark.slow
def test_a_disk_filling_during_build_leaves_the_previous_set(fresh, mount_point) -> None:
    data, out = fresh
    before = snapshot(out / "2020Q4")
    previous = size_of(out)
    small = mount_point(previous + previous // 3, fill=out)  # room for a third of a new set
    result = build(data, small, "--jobs", 1)
    assert_refused_cleanly(result, "磁盘空间不足", "保持原样")
    assert snapshot(small / "2020Q4") == before and leftovers(small) == [] and lock_is_free(small / "2020Q4")


def test_a_disk_filling_during_issue_leaves_the_archive_as_it_was(fresh, mount_point) -> None:
    data, out = fresh
    archive = mount_point(size_of(out) // 2)  # an archived copy carries its inputs: it cannot fit
    result = issue(data, out, archive)
    assert_refused_cleanly(result, "磁盘空间不足")
    assert not (archive / "2020Q4").exists() or list((archive / "2020Q4").iterdir()) == []
    assert not any((archive / ".pending").glob("*")), "nothing half-staged is left"
    told = verify(archive)
    assert told.returncode == 0 and "Traceback" not in told.stderr, told.stderr


@pytest.mark.parametrize("read_only", [False, True], ids=["a file", "a read-only folder"])
def test_forms_into_a_file_or_a_read_only_folder_end_in_a_message(
    fresh, tmp_path: Path, mount_point, read_only
):
    data, _out = fresh
    if read_only:
        target = mount_point(1 << 20, read_only=True)
    else:
        target = tmp_path / "forms-file"
        target.write_text("not a folder")
    result = run("forms", "--data", data, "--year", 2020, "--quarter", 4, "--out", target, mini=False)
    assert_refused_cleanly(result, "只读" if read_only else "不是文件夹")
    assert (list(target.iterdir()) == []) if read_only else target.read_text() == "not a folder"


def test_a_disk_filling_during_forms_leaves_no_half_set(fresh, mount_point) -> None:
    data, _out = fresh
    small = mount_point(48 << 10)
    result = run("forms", "--data", data, "--year", 2020, "--quarter", 4, "--out", small, mini=False)
    assert_refused_cleanly(result, "磁盘空间不足")
    assert list(small.iterdir()) == []


# ------------------------------------------------------------------------------ a zip bomb

# The command's peak memory: VmHWM of its own image (getrusage's maxrss would count the test
# process it was forked from).
MEASURED_CLI = """
import sys
from pathlib import Path
from zsreport.cli import main
code = main(sys.argv[1:])
peak = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM"))
print(f"peak_kb={peak.split()[1]}", file=sys.stderr)
sys.exit(code)
"""

SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def rewrite_sheet(workbook: Path, write_sheet) -> None:
    """``workbook`` with its first sheet's XML replaced by what ``write_sheet(stream)`` writes."""
    import zipfile

    original = workbook.read_bytes()
    import io

    with (
        zipfile.ZipFile(io.BytesIO(original)) as source,
        zipfile.ZipFile(workbook, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with bomb.open(info.filename, "w", force_zip64=True) as stream:
                    write_sheet(stream)
            else:
                bomb.writestr(info, source.read(info))


def unpacking_bomb(stream) -> None:
    """About 150 MB of cells (10 million), packed into well under 1 MB."""
    stream.write(SHEET_HEAD + b"<sheetData>")
    row = b"<row>" + b"<c><v>1</v></c>" * 100 + b"</row>"
    block = row * 1000
    for _ in range(100):
        stream.write(block)
    stream.write(b"</sheetData></worksheet>")


def declared_bomb(stream) -> None:
    """A small sheet that declares 30 million cells (openpyxl would lay out every one)."""
    stream.write(SHEET_HEAD + b'<dimension ref="A1:AD1000000"/><sheetData>')
    stream.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>')
    stream.write(b"</sheetData></worksheet>")


@pytest.mark.parametrize("bomb", [unpacking_bomb, declared_bomb], ids=["unpacked size", "declared range"])
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="measures memory in /proc")
def test_a_zip_bomb_as_xlsx_is_refused_before_it_is_read(data: Path, bomb) -> None:
    ledger = data / "2020" / "2020Q4" / "项目库.xlsx"
    rewrite_sheet(ledger, bomb)
    assert ledger.stat().st_size < 2 << 20
    started = time.monotonic()
    process = subprocess.run(
        [sys.executable, "-c", MEASURED_CLI, "check", "--data", str(data), "--year", "2020", "--quarter", "4"],
        cwd=PROJECT_ROOT, env=environment(), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    seconds = time.monotonic() - started
    assert_refused_cleanly(process, "项目库.xlsx", "远超任何报表", "整个文件未读取", "重新发送")
    peak_mb = int(process.stderr.split("peak_kb=")[1].split()[0]) >> 10
    assert peak_mb < 300 and seconds < 60, (peak_mb, seconds)  # a plain check takes about 160 MB
