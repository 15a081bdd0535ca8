"""`python -m bot export ...` and `python -m bot painmap ...`: the admin's files from the command
line, for analysts who work with the database server rather than with Telegram."""

from __future__ import annotations

from pathlib import Path

from bot.app import build_services
from bot.config import Settings
from bot.reports.export import ReportFile
from bot.texts import export as texts


async def export_command(
    settings: Settings, target: str, year: int | None, as_csv: bool, out: Path | None
) -> tuple[bool, str]:
    """Write the file for `target` (a window id, or "accounting"); returns (ok, message)."""
    services = build_services(settings)
    try:
        reports = services.reports
        if target == "accounting":
            return _save(await reports.accounting_form(year), out)
        if not target.isdigit():
            return False, texts.CLI_USAGE
        window_id = int(target)
        if as_csv:
            path = out or Path(texts.window_filename(window_id, "csv"))
            with path.open("w", encoding="utf-8-sig", newline="") as stream:
                problem = await reports.export_responses_csv(window_id, stream)
            if problem is not None:
                path.unlink()
                return False, problem
            return True, texts.SAVED.format(path=path)
        return _save(await reports.export_window(window_id), out)
    finally:
        await services.close()


async def painmap_command(settings: Settings, window_id: int, out: Path | None) -> tuple[bool, str]:
    services = build_services(settings)
    try:
        return _save(await services.reports.painmap(window_id), out)
    finally:
        await services.close()


def _save(file: ReportFile | str, out: Path | None) -> tuple[bool, str]:
    if isinstance(file, str):
        return False, file
    path = out or Path(file.filename)
    path.write_bytes(file.data)
    return True, texts.SAVED.format(path=path)
