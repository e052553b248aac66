"""Reading ESC/POS bytes back in tests: drop the control sequences, keep the printed text.

The byte layouts follow what python-escpos's Dummy emits (checked against escpos 3.1):
  barcode CODE128 (function B): ESC a 1, GS h 60, GS w 2-3, GS f 0, GS H 2, GS k 'I' n {B.../{C.. (C: a byte = 2 digits)
  native QR: several GS ( k pL pH cn fn ... blocks
  cut: ESC d 6, GS V 0
  drawer: ESC p m t1 t2
  pictures (profiles without hardware QR/CODE128): GS v 0 raster, or ESC * column images
Anything not listed here is an error, so a new control sequence cannot slip through unnoticed.
"""

from __future__ import annotations

ESC, GS, FS = 0x1B, 0x1D, 0x1C

# command byte -> total length of the sequence including the ESC/GS/FS byte
_ESC_FIXED = {
    ord("@"): 2,  # initialise
    ord("a"): 3,  # align n
    ord("E"): 3,  # bold n
    ord("d"): 3,  # feed n lines
    ord("p"): 5,  # drawer kick m t1 t2
    ord("!"): 3,  # print mode n
    ord("t"): 3,  # code page n
    ord("3"): 3,  # line spacing n (escpos's column pictures)
    ord("2"): 2,  # default line spacing
}
_GS_FIXED = {
    ord("!"): 3,  # character size n
    ord("h"): 3,  # barcode height
    ord("w"): 3,  # barcode width
    ord("H"): 3,  # barcode text position
    ord("f"): 3,  # barcode font
}
_FS_FIXED = {
    ord("&"): 2,  # Chinese mode on
    ord("."): 2,  # Chinese mode off
}


class UnknownSequence(AssertionError):
    pass


def _esc_length(data: bytes, i: int) -> int:
    cmd = data[i + 1]
    if cmd in _ESC_FIXED:
        return _ESC_FIXED[cmd]
    if cmd == ord("*"):  # ESC * m nL nH data: one band of a column picture
        m, columns = data[i + 2], data[i + 3] + data[i + 4] * 256
        return 5 + columns * (3 if m in (32, 33) else 1)
    raise UnknownSequence(f"ESC {cmd:#x} at {i}")


def _gs_length(data: bytes, i: int) -> int:
    cmd = data[i + 1]
    if cmd in _GS_FIXED:
        return _GS_FIXED[cmd]
    if cmd == ord("V"):  # cut: GS V m, or GS V m n for m in 65, 66, 97, 98
        m = data[i + 2]
        return 4 if m in (65, 66, 97, 98) else 3
    if cmd == ord("k"):  # barcode
        m = data[i + 2]
        if m <= 6:  # function A: NUL-terminated data
            end = data.index(0, i + 3)
            return end + 1 - i
        n = data[i + 3]  # function B: length byte
        return 4 + n
    if cmd == ord("v"):  # GS v 0 m xL xH yL yH data: a raster picture (software barcode or QR)
        width_bytes = data[i + 4] + data[i + 5] * 256
        height = data[i + 6] + data[i + 7] * 256
        return 8 + width_bytes * height
    if cmd == ord("("):  # GS ( k pL pH ...: QR and other 2D symbols
        if data[i + 2] != ord("k"):
            raise UnknownSequence(f"GS ( {data[i + 2]:#x} at {i}")
        size = data[i + 3] + data[i + 4] * 256
        return 5 + size
    raise UnknownSequence(f"GS {cmd:#x} at {i}")


def strip_escpos(data: bytes) -> bytes:
    """The printable bytes of an ESC/POS job (text and newlines), every control sequence removed."""
    out = bytearray()
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == ESC:
            cmd = data[i + 1]
            i += _esc_length(data, i)
        elif byte == GS:
            i += _gs_length(data, i)
        elif byte == FS:
            cmd = data[i + 1]
            if cmd not in _FS_FIXED:
                raise UnknownSequence(f"FS {cmd:#x} at {i}")
            i += _FS_FIXED[cmd]
        else:
            out.append(byte)
            i += 1
    return bytes(out)


def sequences(data: bytes) -> list[bytes]:
    """The control sequences of a job, in order (for checks on what was sent)."""
    found = []
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == ESC:
            length = _esc_length(data, i)
        elif byte == GS:
            length = _gs_length(data, i)
        elif byte == FS:
            length = _FS_FIXED.get(data[i + 1])
            if length is None:
                raise UnknownSequence(f"FS {data[i + 1]:#x} at {i}")
        else:
            i += 1
            continue
        found.append(data[i : i + length])
        i += length
    return found
