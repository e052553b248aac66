"""Files only their owner may read: the database, backups and the log hold PIN hashes, phone
numbers and sales. Their folders are the owner's alone too: whoever may write a folder may put a
link in it where the till will write next (exports/day-20261201.csv -> ../shop.db)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

PRIVATE_DIR = 0o700


def private_dir(path: Path) -> Path:
    """Create the folder `path` (its parents as usual) mode 0700 whatever the umask; a folder
    already there is left as it is (start-up refuses one that others may write)."""
    path = Path(path)
    if path.is_dir():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.mkdir(mode=PRIVATE_DIR)
    except FileExistsError:  # made meanwhile by another till, or a file: the caller's next step says so
        return path
    os.chmod(path, PRIVATE_DIR)  # mkdir's mode is cut by the umask
    return path


def create_owner_only(path: Path) -> None:
    """Create `path` (and its folder, 0700) with mode 0600 if it is not there; an existing file is
    left as it is."""
    private_dir(path.parent)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def write_private(path: Path, data: bytes) -> None:
    """Write `path` as a new 0600 file put in place by a rename: the temporary name is opened with
    O_CREAT|O_EXCL|O_NOFOLLOW, and the rename replaces a link at `path` instead of writing through
    it, so a link planted there (to the database) is never followed."""
    folder = private_dir(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for attempt in range(100):
        tmp = folder / f".{path.name}.{os.getpid()}.{attempt}.tmp"
        try:
            fd = os.open(tmp, flags, 0o600)
        except FileExistsError:
            continue
        break
    else:
        raise FileExistsError(f"no free temporary name beside {path}")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Exposure:
    """Why a path may not hold the shop, with the command that fixes it."""

    path: Path
    problem: str  # "owner" or "writable"
    mode: int
    owner: int
    fix: str


def exposure(path: Path, *, folder: bool, uid: int) -> Exposure | None:
    """A path owned by another user than `uid`, or writable by its group or others; None if neither
    (or if it is not there)."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return None
    mode = stat.S_IMODE(st.st_mode)
    if st.st_uid != uid:
        user = _user_name(uid)
        return Exposure(path, "owner", mode, st.st_uid, f"sudo chown {user} {path}")
    if mode & 0o022:
        return Exposure(path, "writable", mode, st.st_uid, f"chmod {'700' if folder else '600'} {path}")
    return None


def _user_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return str(uid)
