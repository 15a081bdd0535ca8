"""Russian formatting of dates and numbers, shared by every text module."""

from __future__ import annotations

import re
from datetime import date, datetime
from html import unescape


def fmt_date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def fmt_datetime(moment: datetime) -> str:
    return moment.strftime("%d.%m.%Y %H:%M")


def fmt_num(value: float, digits: int = 1) -> str:
    """75.06 -> '75,1': Russian decimal comma."""
    return f"{value:.{digits}f}".replace(".", ",")


def plural(count: int, one: str, few: str, many: str) -> str:
    """The Russian form of a noun agreeing with `count`: 1 житель, 23 жителя, 11 жителей."""
    tail = count % 100
    if 11 <= tail <= 14:
        return many
    return one if count % 10 == 1 else few if 2 <= count % 10 <= 4 else many


def counted(count: int, one: str, few: str, many: str) -> str:
    """'23 жителя'."""
    return f"{count} {plural(count, one, few, many)}"


def fmt_percent(share: float) -> str:
    """0.6667 -> '67 %'."""
    return f"{share * 100:.0f} %"


_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_LINK = re.compile(r"""<a\s[^>]*href=["']([^"']*)["'][^>]*>(.*?)</a>""", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _link(match: re.Match[str]) -> str:
    url, label = match.group(1), match.group(2)
    return url if _TAG.sub("", label) == url else f"{label} ({url})"


def plain_text(html: str) -> str:
    """Our Telegram HTML as plain text (VK, spreadsheets, the console): links spelled out,
    other tags dropped, entities (&lt; &amp;...) decoded."""
    return unescape(_TAG.sub("", _LINK.sub(_link, _BREAK.sub("\n", html))))
