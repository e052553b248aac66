"""CODE128 by hand: the shortest B/C encoding, the firmware's `{B`/`{C` data, and bars in whole dots.

Printers that draw codes as pictures get bars whose every module is the same whole number of
dots: a picture scaled by a fraction of a dot gives uneven bars that scanners refuse.
"""

from __future__ import annotations

# bar/space widths of the 107 symbols (0-102 data and shifts, 103-105 start A/B/C, 106 stop)
_TABLE = (
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 "
    "221312 231212 112232 122132 122231 113222 123122 123221 223211 221132 "
    "221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 "
    "212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 "
    "231113 231311 112133 112331 132131 113123 113321 133121 313121 211331 "
    "231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 "
    "112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 "
    "111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 "
    "214121 412121 111143 111341 131141 114113 114311 411113 411311 113141 "
    "114131 311141 411131 211412 211214 211232 2331112"
)
PATTERNS: tuple[str, ...] = tuple(_TABLE.split())
START = {"B": 104, "C": 105}
TO_SET = {"B": 100, "C": 99}  # "code B" / "code C" switch symbols
STOP = 106
QUIET_MODULES = 10  # each side, as the standard asks


def _plan(text: str) -> list[tuple[str, str]]:
    """The fewest symbols: (set, chunk) runs, chunks of set C being even digit runs."""
    for ch in text:
        if not 32 <= ord(ch) < 127:
            raise ValueError(f"CODE128 set B cannot hold {ch!r}")
    n = len(text)
    inf = 10**9
    # best[i][s]: symbols needed for text[i:] when set s is active at position i
    best = [{"B": inf, "C": inf} for _ in range(n + 1)]
    choice: list[dict[str, tuple[str, int]]] = [{} for _ in range(n + 1)]
    best[n] = {"B": 0, "C": 0}
    for i in range(n - 1, -1, -1):
        for s in ("B", "C"):
            options: list[tuple[int, str, int]] = []
            for t in ("B", "C"):
                switch = 0 if t == s else 1
                if t == "B":
                    options.append((switch + 1 + best[i + 1]["B"], "B", 1))
                elif text[i : i + 2].isdigit() and len(text[i : i + 2]) == 2:
                    options.append((switch + 1 + best[i + 2]["C"], "C", 2))
            cost, t, step = min(options)
            best[i][s] = cost
            choice[i][s] = (t, step)
    start = min(("B", "C"), key=lambda s: (best[0][s], s))
    runs: list[tuple[str, str]] = []
    i, s = 0, start
    while i < n:
        t, step = choice[i][s]
        if runs and runs[-1][0] == t:
            runs[-1] = (t, runs[-1][1] + text[i : i + step])
        else:
            runs.append((t, text[i : i + step]))
        i, s = i + step, t
    return runs or [("B", "")]


def symbols(text: str) -> list[int]:
    """Start, data (with set switches), checksum and stop."""
    runs = _plan(text)
    values = [START[runs[0][0]]]
    for k, (s, chunk) in enumerate(runs):
        if k:
            values.append(TO_SET[s])
        if s == "B":
            values += [ord(ch) - 32 for ch in chunk]
        else:
            values += [int(chunk[j : j + 2]) for j in range(0, len(chunk), 2)]
    values.append((values[0] + sum(i * v for i, v in enumerate(values[1:], 1))) % 103)
    return [*values, STOP]


def firmware_data(text: str) -> bytes:
    """The data of GS k 73: `{B`/`{C` before each run; in set C one byte (0-99) holds two digits."""
    out = b""
    for s, chunk in _plan(text):
        out += b"{" + s.encode()
        if s == "B":
            out += chunk.replace("{", "{{").encode("ascii")
        else:
            out += bytes(int(chunk[j : j + 2]) for j in range(0, len(chunk), 2))
    return out


def modules(text: str) -> int:
    """Width of the symbol in modules, without quiet zones (11 a symbol, 13 the stop)."""
    return 11 * (len(symbols(text)) - 1) + 13


def bars(values: list[int], module: int) -> list[bool]:
    """One row of dots, True = black, every module `module` dots wide."""
    row: list[bool] = []
    for value in values:
        for k, width in enumerate(PATTERNS[value]):
            row += [k % 2 == 0] * (int(width) * module)
    return row
