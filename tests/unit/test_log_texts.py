"""The bot's log is read by a Russian body's IT staff: every line it writes is Russian, comes
from bot/texts/logs.py (or the console texts), and gets as many values as its template has
places, which logging would otherwise report only when the line is first written."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.texts import logs
from tests.support.cli import CYRILLIC

BOT = Path(__file__).resolve().parents[2] / "bot"
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical"}
PLACEHOLDER = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def templates() -> dict[str, str]:
    return {k: v for k, v in vars(logs).items() if k.isupper() and isinstance(v, str)}


def log_calls() -> list[tuple[str, ast.Call]]:
    """Every `<logger>.info(...)` and the like in bot/, with where it is."""
    found = []
    for path in sorted(BOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in LOG_METHODS
                and "log" in ast.unparse(node.func.value).lower()
            ):
                found.append((f"{path.relative_to(BOT.parent)}:{node.lineno}", node))
    return found


def test_every_log_template_is_russian() -> None:
    assert templates()
    english = [name for name, text in templates().items() if not CYRILLIC.search(text)]
    assert english == []


def test_no_log_call_spells_its_own_text() -> None:
    """A string written at the call site is how an English line slips back in."""
    calls = log_calls()
    assert len(calls) > 40
    literal = [
        where
        for where, call in calls
        if call.args and isinstance(call.args[0], ast.Constant | ast.JoinedStr | ast.BinOp)
    ]
    assert literal == []


def test_every_template_gets_its_values() -> None:
    known = templates()
    wrong = []
    for where, call in log_calls():
        first = call.args[0] if call.args else None
        if isinstance(first, ast.Attribute) and ast.unparse(first.value) == "logs":
            places = len(PLACEHOLDER.findall(known[first.attr]))
            if places != len(call.args) - 1:
                wrong.append(f"{where} {first.attr}: {places} places, {len(call.args) - 1} values")
    assert wrong == []
