"""The government body the bot speaks for: its names, address and site, and where a formal
appeal goes. Every citizen- and employee-facing text that names the body reads it from here."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import DEFAULT_FORMAL_APPEAL_URL, Settings

UNNAMED_BODY = "орган власти"
"""Said when BODY_NAME is not set, so a fresh install still speaks correct Russian."""


@dataclass(frozen=True)
class Body:
    name: str = ""
    short_name: str = ""
    address: str = ""
    site: str = ""
    formal_appeal_url: str = DEFAULT_FORMAL_APPEAL_URL
    retention_years: int = 5
    """How long an appeal's personal data is kept after it is closed: the consent names it."""
    answer_days: int = 30

    @classmethod
    def from_settings(cls, settings: Settings) -> Body:
        return cls(
            name=settings.body_name,
            short_name=settings.body_short_name,
            address=settings.body_address,
            site=settings.body_site,
            formal_appeal_url=settings.formal_appeal_url,
            retention_years=settings.appeal_retention_years,
            answer_days=settings.appeal_answer_days,
        )

    @property
    def full(self) -> str:
        """The full name, for the consent and formal texts."""
        return self.name or self.short_name or UNNAMED_BODY

    @property
    def short(self) -> str:
        """The short name, for greetings and buttons."""
        return self.short_name or self.name or UNNAMED_BODY
