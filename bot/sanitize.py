"""One sanitiser for text that people type, used where it enters and where it leaves in files.

Control characters (a vertical tab pasted from Word, a bell, NUL) are not text: stored, they
make XLSX writers refuse the whole file. Text made only of invisible characters (zero-width
spaces, fillers) looks empty to whoever reads it, so it is not accepted where text is asked
for. A free text that begins like a formula (= + - @) must stay text in the files staff open.
"""

from __future__ import annotations

import unicodedata

KEPT_CONTROLS = frozenset("\n\t")
# Visible as nothing, yet not whitespace to str.strip().
INVISIBLE = frozenset("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0\ufeff")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: str) -> str:
    """The text without control characters (line breaks and tabs kept; CR LF becomes LF)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if value.isprintable():
        return value
    return "".join(ch for ch in value if ch in KEPT_CONTROLS or unicodedata.category(ch) != "Cc")


def is_invisible(value: str) -> bool:
    """True when nothing of the text would be seen: only spaces, format and filler characters."""
    return all(
        ch.isspace() or ch in INVISIBLE or unicodedata.category(ch) in ("Cc", "Cf", "Zs")
        for ch in value
    )


def csv_cell(value: object) -> object:
    """A CSV field that spreadsheet programs will not run as a formula (a leading quote)."""
    if isinstance(value, str):
        value = clean_text(value)
        if value.startswith(FORMULA_START):
            return "'" + value
    return value
