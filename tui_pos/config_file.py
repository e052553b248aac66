"""Writing the owner's config file: only the keys asked for change, every other line stays.

The file is edited line by line rather than parsed and dumped again, so the owner's comments,
order and other keys survive; the result is read back with tomllib and must hold exactly the old
settings plus the changes, else nothing is written and the owner is told to edit it by hand.
It is written 0600 (and its folder 0700): it says where the tickets go and which database and
till this is, and only the till's own user needs to read it.
"""

from __future__ import annotations

import copy
import json
import os
import re
import tempfile
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tui_pos.config import ConfigError


class Hex(int):
    """A whole number written in hex (USB ids: usb_vendor = 0x0416)."""


Value = str | int | None  # None removes the key
Changes = Mapping[str, Mapping[str, Value]]  # section ("" = the top) -> key -> value

_HEADER = re.compile(r"\s*\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(#.*)?$")
_ANY_HEADER = re.compile(r"\s*\[")


def read(path: Path) -> dict[str, Any]:
    """The owner's own settings (not the defaults); {} when there is no file yet."""
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def _literal(value: str | int) -> str:
    if isinstance(value, Hex):
        return f"0x{value:04x}"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def _key_line(key: str) -> re.Pattern[str]:
    return re.compile(rf"(\s*)(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=\s*(.*)$")


def _split_value(rest: str) -> tuple[str, str] | None:
    """(value, what follows it: spaces and a comment), or None for a value over several lines."""
    for cut in [i for i, ch in enumerate(rest) if ch == "#"] + [len(rest)]:
        value = rest[:cut].rstrip()
        try:
            tomllib.loads(f"x = {value}")
        except tomllib.TOMLDecodeError:
            continue
        return value, rest[len(value) :]
    return None


def _edit(text: str, changes: Changes) -> str:
    lines = text.splitlines()
    first_header = next((i for i, line in enumerate(lines) if _ANY_HEADER.match(line)), len(lines))
    section = ""
    ends: dict[str, int] = {"": first_header}  # section -> where its new keys go: after its last key
    done: set[tuple[str, str]] = set()
    out: list[str | None] = list(lines)
    for i, line in enumerate(lines):
        header = _HEADER.match(line)
        if header:
            section = header.group(1)
            ends[section] = i + 1
            continue
        if _ANY_HEADER.match(line):  # [[an.array.of.tables]]: never ours
            section = "\0"
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        ends[section] = i + 1
        for key, value in changes.get(section, {}).items():
            match = _key_line(key).match(line)
            if not match:
                continue
            done.add((section, key))
            if value is None:
                out[i] = None
                continue
            split = _split_value(match.group(2))
            if split is None:
                raise ConfigError(f"{key} spans several lines; change it by hand")
            out[i] = f"{line[: match.start(2)]}{_literal(value)}{split[1]}"
    inserts: dict[int, list[str]] = {}
    appended: list[str] = []
    for section, keys in changes.items():
        new = [f"{k} = {_literal(v)}" for k, v in keys.items() if v is not None and (section, k) not in done]
        if new and section in ends:
            inserts.setdefault(ends[section], []).extend(new)
        elif new:
            appended += ["", f"[{section}]", *new]
    result: list[str] = []
    for i in range(len(out) + 1):
        result += inserts.get(i, [])
        if i < len(out) and out[i] is not None:
            result.append(str(out[i]))
    if appended and (not result or not result[-1].strip()):
        appended = appended[1:]
    return "\n".join(result + appended).lstrip("\n") + "\n"


def _expected(old: dict[str, Any], changes: Changes) -> dict[str, Any]:
    data = copy.deepcopy(old)
    for section, keys in changes.items():
        if section and section not in data and all(v is None for v in keys.values()):
            continue  # removing keys from a section the file does not have
        target = data if not section else data.setdefault(section, {})
        for key, value in keys.items():
            if value is None:
                target.pop(key, None)
            else:
                target[key] = int(value) if isinstance(value, int) else value
    return data


def update(path: Path, changes: Changes, *, check: Callable[[Path], object] | None = None) -> None:
    """Set (or, for None, remove) these keys in the file, keeping every other line of it.
    `check` reads the new file before it takes the old one's place (load_config: the values are usable)."""
    old_text = path.read_text(encoding="utf-8") if path.exists() else ""
    old = read(path)
    new_text = _edit(old_text, changes)
    try:
        new = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError:
        new = None
    if new != _expected(old, changes):
        raise ConfigError(f"{path}: setup cannot change it safely; make the change by hand")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(new_text)
            fh.flush()
            os.fsync(fh.fileno())
        if check is not None:
            check(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
