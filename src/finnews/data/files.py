"""Writing files and folders so that nothing is half-written and nothing existing is lost.

Every output is made beside its target under a temporary name and renamed into place at the end;
a failure, Ctrl-C or SIGTERM (the CLI turns it into SystemExit) removes the temporary. A kill -9
cannot be caught: the temporary files and folders it leaves are named `.<target>.<pid>.<random>.tmp`,
and the next write of the same target removes those whose process is gone. Files and folders get the modes
the umask gives, as any other tool's.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from finnews.errors import UsageError

_STAGED = re.compile(r"^\.(?P<name>.+)\.(?P<pid>[0-9]+)\.[^.]+\.tmp$")


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while a temporary is made and named, so that the code that removes
    it is in place before either can stop the run: they are recorded, then raised again at the end.
    (A signal mask would not do: Python runs handlers in the main thread whichever thread the
    signal reached.) Handlers can only be set from the main thread; elsewhere nothing is held."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {s: signal.signal(s, lambda signum, frame: caught.append(signum)) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)
        for s in caught:
            signal.raise_signal(s)


def _beside(target: Path, make):
    """A temporary file or folder made by ``make`` (tempfile.mkstemp or mkdtemp) beside target,
    named as _STAGED reads it back: .<target>.<pid>.<random>.tmp."""
    return make(dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp")


def _writable(path: Path, error: OSError) -> UsageError:
    return UsageError(f"cannot write {path}: {error.strerror or error}")


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write to a temporary file beside the target, then rename: readers never see half a file."""
    path = Path(path)
    tmp = None
    try:
        with _signals_held():
            path.parent.mkdir(parents=True, exist_ok=True)
            remove_stale(path)
            fd, tmp = _beside(path, tempfile.mkstemp)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, 0o666 & ~umask())  # mkstemp creates 0600; give the file the usual mode
        os.replace(tmp, path)
        tmp = None
    except OSError as error:
        raise _writable(path, error) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def write_new_files(files: dict[Path, str], force: bool = False) -> list[Path]:
    """Write several files atomically; refuse (before writing any) if one exists, unless force."""
    existing = [str(p) for p in files if Path(p).exists()]
    if existing and not force:
        raise UsageError(f"will not overwrite {', '.join(existing)} (use --force)")
    for path, text in files.items():
        atomic_write_text(path, text)
    return list(files)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(out: Path) -> list[Path]:
    """Remove the temporary files and folders that dead runs left beside out; return them."""
    removed = []
    if not out.parent.is_dir():
        return removed
    for candidate in out.parent.iterdir():
        m = _STAGED.match(candidate.name)
        if m and m["name"] == out.name and int(m["pid"]) != os.getpid() and not _alive(int(m["pid"])):
            if candidate.is_dir() and not candidate.is_symlink():
                shutil.rmtree(candidate, ignore_errors=True)
            else:
                candidate.unlink(missing_ok=True)
            removed.append(candidate)
    return removed


def _reading(error: OSError, out: Path, tmp: Path | None) -> bool:
    """Whether an error names a file outside the output (an input the block was reading)."""
    if error.filename is None:
        return False
    named = Path(error.filename).resolve()
    ours = [out.resolve(), *([tmp.resolve()] if tmp is not None else [])]
    return named != out.parent.resolve() and not any(named.is_relative_to(p) for p in ours)


@contextmanager
def staged_folder(out: str | Path) -> Iterator[Path]:
    """A new temporary folder beside out, removed unless the block has moved it into place
    (see `move_into_place`). Stale folders of dead runs for the same target are removed first."""
    out = Path(out)
    tmp = None
    try:
        with _signals_held():
            out.parent.mkdir(parents=True, exist_ok=True)
            remove_stale(out)
            tmp = Path(_beside(out, tempfile.mkdtemp))
        os.chmod(tmp, 0o777 & ~umask())  # mkdtemp makes it 0700
        yield tmp
    except OSError as error:
        if _reading(error, out, tmp):
            raise UsageError(f"cannot read {error.filename}: {error.strerror or error}") from None
        raise _writable(out, error) from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def move_into_place(tmp: Path, out: Path, replace: bool = False) -> None:
    """Rename a staged folder to out. An existing out is refused unless it is an empty folder, or
    replace is set (then the old folder is moved aside first and removed only after the rename)."""
    try:
        if out.exists() and not (out.is_dir() and not any(out.iterdir())):
            if not replace:
                raise UsageError(f"{out} exists and is not empty")
            aside = Path(_beside(out, tempfile.mkdtemp))
            os.replace(out, aside / "old")
            try:
                os.replace(tmp, out)
            except BaseException:
                os.replace(aside / "old", out)
                raise
            finally:
                shutil.rmtree(aside, ignore_errors=True)
            return
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
    except OSError as error:
        raise _writable(out, error) from None


def sha256_file(path: Path) -> str:
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
