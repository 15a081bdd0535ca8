"""`python -m bot ...` in a subprocess, with a clean environment: only what a test sets."""

from __future__ import annotations

import asyncio
import ctypes
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.support.waits import STARTUP_CEILING

PROJECT = Path(__file__).resolve().parents[2]
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2
CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def not_russian(output: str) -> list[str]:
    """The lines of a run's output that have no Russian word: the body's IT staff read it."""
    return [line for line in output.splitlines() if line.strip() and not CYRILLIC.search(line)]


def cli_env(**env: str) -> dict[str, str]:
    """The parent's environment without its settings (upper-case names), plus `env`."""
    clean = {
        k: v for k, v in os.environ.items() if not k.isupper() or k in {"PATH", "HOME", "LANG"}
    }
    return {**clean, "PYTHONPATH": str(PROJECT), **env}


def without_root_overrides() -> None:
    """Run in the child before exec: root ignores file permissions, so drop the capabilities
    that let it, and a read-only folder is read-only to the bot as to any service user."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_cli(
    cwd: Path, *args: str, preexec: Callable[[], None] | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=cli_env(**env),
        capture_output=True,
        text=True,
        timeout=STARTUP_CEILING,
        preexec_fn=preexec,
    )


async def run_cli_async(cwd: Path, *args: str, **env: str) -> tuple[int, str]:
    """For a bot talking to a fake server that runs on the test's own event loop."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=cli_env(**env),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), STARTUP_CEILING)
    assert process.returncode is not None
    return process.returncode, err.decode()
