"""`tui-pos doctor`: print one line per check of this machine and exit with the worst level."""

from __future__ import annotations

import argparse

from tui_pos.config import Config
from tui_pos.domain.text import without_controls


def doctor_command(config: Config, args: argparse.Namespace) -> int:
    from tui_pos.services import doctor

    findings = doctor.run(doctor.real(config))
    for finding in findings:
        print(without_controls(doctor.line(finding)))  # paths and errors are the machine's, not ours
    return doctor.exit_code(findings)
