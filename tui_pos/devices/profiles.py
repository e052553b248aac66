"""What python-escpos's printer database says about one printer model: its dots per line,
its code page table and its cutter. The till lays tickets out and picks commands from these,
so a 512-dot printer gets 42 columns and a printer without page 19 is never sent ESC t 19."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from tui_pos.devices.encoding import CODE_PAGES, code_page_number, is_chinese

FONT_A_DOTS = 12  # one Font A column: 384 dots -> 32 columns, 512 -> 42, 576 -> 48


class ProfileError(ValueError):
    """A profile name or profile/code page pair the printer database does not have; says the fix."""


@dataclass(frozen=True)
class ProfileFacts:
    name: str
    dots: int | None  # printable dots per line; None where the database does not know
    code_pages: dict[str, str]
    full_cut: bool
    part_cut: bool

    @property
    def columns(self) -> int | None:
        """Font A columns on this paper, as the width setting allows (32, 42 or 48)."""
        if not self.dots:
            return None
        fits = [w for w in (32, 42, 48) if w * FONT_A_DOTS <= self.dots]
        return max(fits) if fits else 32

    @property
    def has_cutter(self) -> bool:
        return self.full_cut or self.part_cut

    def cut_command(self) -> bytes:
        """GS V 0 (full cut) where the profile has it, else GS V 1 (partial: some firmware
        accepts only that); nothing without a cutter (a tear line is printed instead)."""
        if self.full_cut:
            return b"\x1dV\x00"
        if self.part_cut:
            return b"\x1dV\x01"
        return b""

    def code_page(self, encoding: str) -> int | None:
        """ESC t n for a code-page encoding; None for Chinese output. Raises when the printer lacks it."""
        if is_chinese(encoding):
            return None
        page = code_page_number(self.code_pages, encoding)
        if page is None:
            known = sorted({n.lower() for n in self.code_pages.values()} & set(CODE_PAGES))  # ones the till can set
            raise ProfileError(
                f"printer profile {self.name} has no code page {encoding}: set [printer] encoding to one it has"
                f" ({', '.join(known) or 'none'}) or to gbk for a Chinese printer, or choose the right profile"
            )
        return page


@lru_cache(maxsize=16)
def profile_facts(name: str) -> ProfileFacts:
    import importlib

    importlib.import_module("tui_pos.devices.printer")  # sets escpos's capability cache folder first
    from escpos.capabilities import get_profile

    try:
        profile = get_profile(name)
    except Exception as exc:  # escpos raises its own error for an unknown name
        raise ProfileError(
            f"printer profile {name} is unknown: set [printer] profile to a python-escpos profile,"
            " e.g. default, POS-5890, TM-T88V"
        ) from exc
    pixels = profile.profile_data.get("media", {}).get("width", {}).get("pixels")
    return ProfileFacts(
        name=name,
        dots=pixels if isinstance(pixels, int) else None,
        code_pages={str(k): str(v) for k, v in profile.profile_data.get("codePages", {}).items()},
        full_cut=bool(profile.supports("paperFullCut")),
        part_cut=bool(profile.supports("paperPartCut")),
    )
