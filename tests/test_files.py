"""The one write path: atomic single files and all-or-nothing sets, symlinks written
through, permissions kept, undo on failure and interrupt, stale staging cleaned."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from khabar import files, guard
from khabar.errors import InputError, Interrupted
from khabar.files import STAGING_PREFIX, stale_staging, write_file, write_files
from tests.fixture_corpus import snapshot


def _staging_left(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.name.startswith(STAGING_PREFIX)]


def test_a_new_file_gets_the_umask_mode_and_an_existing_one_keeps_its_mode(tmp_path):
    new = write_file(tmp_path / "new.txt", "نص\n")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
    private = tmp_path / "private.txt"
    private.write_text("old")
    private.chmod(0o600)
    write_file(private, "new")
    assert private.read_text() == "new"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert _staging_left(tmp_path) == []


def test_a_symlinked_target_is_written_through(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_file(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_a_set_is_all_or_nothing_when_one_target_is_a_folder(tmp_path):
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b").mkdir()
    before = snapshot(tmp_path)
    with pytest.raises(InputError) as error:
        write_files({tmp_path / "a.txt": "A", tmp_path / "new" / "c.txt": "C", tmp_path / "b": "B"})
    assert str(error.value) == f"{tmp_path / 'b'}: cannot write: Is a directory"
    assert snapshot(tmp_path) == before  # the folder made for new/c.txt is gone again


def _fail_on_call(monkeypatch, number: int, error: BaseException) -> None:
    """Make the `number`-th write of bytes (in the write path) raise `error`."""
    calls = {"n": 0}
    original = files._write_all

    def failing(handle, data):
        calls["n"] += 1
        if calls["n"] == number:
            raise error
        original(handle, data)

    monkeypatch.setattr(files, "_write_all", failing)


def test_a_full_disk_mid_set_leaves_every_file_byte_identical(tmp_path, monkeypatch):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(name * 1000)
    before = snapshot(tmp_path)
    _fail_on_call(monkeypatch, 2, OSError(errno.ENOSPC, "No space left on device"))
    with pytest.raises(InputError) as error:
        write_files({tmp_path / "a.txt": "new a", tmp_path / "b.txt": "new b"})
    assert str(error.value) == f"{tmp_path / 'b.txt'}: cannot write: No space left on device"
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt(), Interrupted(15)], ids=["SIGINT", "SIGTERM"])
def test_an_interrupt_while_staging_leaves_nothing_behind(tmp_path, monkeypatch, interrupt):
    (tmp_path / "a.txt").write_text("a")
    before = snapshot(tmp_path)
    _fail_on_call(monkeypatch, 2, interrupt)
    with pytest.raises(type(interrupt)):
        write_files({tmp_path / "a.txt": "new a", tmp_path / "sub" / "b.txt": "b"})
    assert snapshot(tmp_path) == before


def test_an_interrupt_while_swapping_puts_the_first_files_back(tmp_path, monkeypatch):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(f"old {name}")
    before = snapshot(tmp_path)
    original = os.replace
    calls = {"n": 0}

    def replace(source, target):
        calls["n"] += 1
        if calls["n"] == 2:  # the second target's rename: the first is already in place
            raise Interrupted(15)
        original(source, target)

    monkeypatch.setattr(files.os, "replace", replace)
    with pytest.raises(Interrupted):
        write_files({tmp_path / "a.txt": "new a", tmp_path / "b.txt": "new b"})
    monkeypatch.setattr(files.os, "replace", original)
    assert snapshot(tmp_path) == before


def test_staging_of_a_dead_run_is_removed_and_reported_by_the_next_write(tmp_path):
    dead = 2**22 + 17  # above the kernel's largest process id: never alive
    stale_file = tmp_path / f"{STAGING_PREFIX}{dead}.abcd.out.json"
    stale_file.write_text("half")
    legacy = tmp_path / ".khabar-build-x1y2"
    (legacy / "data").mkdir(parents=True)
    alive = tmp_path / f"{STAGING_PREFIX}{os.getppid()}.abcd.out.json"  # a live process's: kept
    alive.write_text("in progress")
    assert stale_staging(tmp_path) == sorted([stale_file, legacy])
    with guard.guarded() as run:
        write_file(tmp_path / "out.json", "{}")
    assert not stale_file.exists() and not legacy.exists() and alive.exists()
    assert run.notes == [
        f"removed staging left by an interrupted run: {legacy}",
        f"removed staging left by an interrupted run: {stale_file}",
    ]


def test_text_that_is_not_unicode_is_refused_before_anything_is_staged(tmp_path):
    with pytest.raises(InputError) as error:
        write_file(tmp_path / "x.json", "ok \udc00")
    assert str(error.value) == f"{tmp_path / 'x.json'}: cannot write: U+DC00 at character 3 is not valid Unicode"
    assert list(tmp_path.iterdir()) == []


def test_tiny_tmpfs_full_disk(tmp_path):
    """A real full disk: a 64 KiB tmpfs (needs root, as in CI); the existing file survives."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0 or os.system(f"mount -t tmpfs -o size=64k tmpfs {mount} 2>/dev/null") != 0:
        pytest.skip("mounting a tmpfs needs root (CI runs as root)")
    try:
        existing = mount / "scores.json"
        existing.write_bytes(b"x" * 20_000)
        before = snapshot(mount)
        with pytest.raises(InputError) as error:
            write_file(existing, b"y" * 200_000)
        assert str(error.value) == f"{existing}: cannot write: No space left on device"
        assert snapshot(mount) == before
    finally:
        os.system(f"umount {mount}")


def test_a_file_set_stages_each_file_as_it_comes_and_swaps_them_in_together(tmp_path):
    (tmp_path / "index.html").write_text("old index")
    targets = [tmp_path / "index.html", tmp_path / "docs" / "doc-0001.html", tmp_path / "docs" / "doc-0002.html"]
    with files.file_set(targets) as written:
        written.write(targets[0], "index")
        assert (tmp_path / "index.html").read_text() == "old index"  # nothing in place before the end
        written.write(targets[1], iter(["<p>", "نص 𝕏", "</p>"]))  # chunks, written as they come
        written.write(targets[2], b"bytes")
        assert len(_staging_left(tmp_path)) == 3
    assert [path.read_bytes() for path in targets] == [b"index", "<p>نص 𝕏</p>".encode(), b"bytes"]
    assert _staging_left(tmp_path) == []


@pytest.mark.parametrize("failure", ["error", "interrupt", "not unicode", "left unwritten"])
def test_a_failing_file_set_leaves_every_existing_file_byte_identical(tmp_path, failure):
    (tmp_path / "index.html").write_text("old index")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "doc-0001.html").write_text("old page")
    before = snapshot(tmp_path)
    targets = [tmp_path / "index.html", tmp_path / "docs" / "doc-0001.html", tmp_path / "more" / "doc-0002.html"]
    raised: type[BaseException] = {
        "error": RuntimeError,
        "interrupt": KeyboardInterrupt,
        "not unicode": InputError,
        "left unwritten": ValueError,
    }[failure]
    with pytest.raises(raised) as caught, files.file_set(targets) as written:
        written.write(targets[0], "new index")
        written.write(targets[1], "new page")
        if failure == "error":
            raise RuntimeError("the third page failed to render")
        if failure == "interrupt":
            raise KeyboardInterrupt
        if failure == "not unicode":
            written.write(targets[2], iter(["ok ", "\udc00"]))
    if failure == "not unicode":
        assert str(caught.value) == f"{targets[2]}: cannot write: U+DC00 at character 3 is not valid Unicode"
    assert snapshot(tmp_path) == before  # the folder made for more/ is gone again
    assert _staging_left(tmp_path) == []


def test_a_file_set_refuses_a_path_named_twice_before_anything_is_staged(tmp_path):
    with pytest.raises(InputError) as error, files.file_set([tmp_path / "a.html", tmp_path / "a.html"]):
        pytest.fail("the block never runs")
    assert str(error.value) == f"{tmp_path / 'a.html'}: written twice by one command"
    assert list(tmp_path.iterdir()) == []


def test_a_fresh_file_is_new_and_never_replaces_one(tmp_path) -> None:
    existing = tmp_path / "server.log"
    existing.write_bytes(b"kept")
    made = []
    for _ in range(3):
        with files.fresh_file(tmp_path, prefix="server", suffix=".log") as (sink, path):
            sink.write(b"streamed")
        made.append(path)
    assert existing.read_bytes() == b"kept"
    assert len(set(made)) == 3 and all(path.parent == tmp_path and path.read_bytes() == b"streamed" for path in made)


def test_a_fresh_file_in_a_missing_folder_is_an_input_error(tmp_path) -> None:
    with (
        pytest.raises(InputError, match="cannot write"),
        files.fresh_file(tmp_path / "absent", prefix="x", suffix=".log"),
    ):
        pass


def test_a_cache_entry_is_written_whole_but_not_reported_as_an_output(tmp_path):
    with guard.guarded() as run:
        write_file(tmp_path / "out.json", "{}")
        write_file(tmp_path / "cache" / "entry", "value", make_folders=True, run_output=False)
    assert run.written == [tmp_path / "out.json"]
    assert (tmp_path / "cache" / "entry").read_text() == "value"
    assert not [path for path in (tmp_path / "cache").iterdir() if path.name != "entry"]  # no staging left
