"""Settings read from the environment and `.env` (pydantic-settings).

Nothing here is created at import time: the composition root calls `load_settings()` once and
passes the object down, so tests can build their own settings without touching the environment.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.core.ports import Person
from bot.surveys.anonymity import MIN_SECRET_BYTES
from bot.texts import console

DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/bot.db"
DEFAULT_VK_API_URL = "https://api.vk.ru"
DEFAULT_FORMAL_APPEAL_URL = "https://pos.gosuslugi.ru/form/"
"""Госуслуги' feedback platform (ПОС): an appeal sent there counts under 59-FZ (547-FZ)."""
DEFAULT_MAX_API_URL = "https://platform-api2.max.ru"
CHAT_PEER_START = 2_000_000_000
"""VK peer ids of community conversations start above this."""


class SettingsError(Exception):
    """A setting is missing or malformed, or what it points to cannot be used (a file, the
    database, a messenger's API); the message is one line fit for the console, and
    `python -m bot` stops with exit status 2."""


ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
"""The database drivers the bot runs on, by the scheme of a URL that names none."""
SYNC_SCHEMES = {
    "sqlite": "sqlite",
    "sqlite+pysqlite": "sqlite",
    "postgres": "postgresql",
    "postgresql": "postgresql",
    "postgresql+psycopg2": "postgresql",
    "postgresql+psycopg": "postgresql",
    "postgresql+pg8000": "postgresql",
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    bot_token: SecretStr | None = None
    telegram_api_url: str = DEFAULT_TELEGRAM_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    admins: Annotated[frozenset[Person], NoDecode] = frozenset()
    timezone: str = "Europe/Moscow"
    anon_secret: SecretStr | None = None
    anon_secret_file: Path = Path("data/anon_secret")
    calendar_overrides: Path = Path("config/calendar.yaml")
    questionnaires_dir: Path | None = None
    min_group_size: int = Field(default=5, ge=1)
    interim_results: bool = False
    chart_workers: int = Field(default=3, ge=0, le=32)
    tg_channel_id: str | None = None
    tg_employee_chat_id: str | None = None
    external_last_day_reminder: bool = False
    tg_staff_chat_id: int | None = None
    appeal_topics_file: Path | None = None
    appeal_answer_days: int = Field(default=30, ge=1)
    appeal_redirect_days: int = Field(default=7, ge=1)
    appeal_extension_days: int = Field(default=30, ge=1)
    appeal_retention_years: int = Field(default=5, ge=1)
    vk_group_token: SecretStr | None = None
    vk_group_id: int | None = Field(default=None, gt=0)
    vk_api_url: str = DEFAULT_VK_API_URL
    vk_user_token: SecretStr | None = None
    body_name: str = ""
    body_short_name: str = ""
    body_address: str = ""
    body_site: str = ""
    formal_appeal_url: str = DEFAULT_FORMAL_APPEAL_URL
    max_bot_token: SecretStr | None = None
    max_api_url: str = DEFAULT_MAX_API_URL
    max_ca_file: Path | None = None
    max_channel_id: int | None = None
    max_staff_chat_id: int | None = None
    max_employee_chat_id: int | None = None
    vk_staff_chat_id: int | None = Field(default=None, gt=CHAT_PEER_START)
    vk_employee_chat_id: int | None = Field(default=None, gt=CHAT_PEER_START)
    redis_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    vk_callback_confirmation: str | None = None
    vk_callback_secret: SecretStr | None = None

    @field_validator(
        "bot_token",
        "anon_secret",
        "questionnaires_dir",
        "tg_channel_id",
        "tg_employee_chat_id",
        "tg_staff_chat_id",
        "appeal_topics_file",
        "vk_group_token",
        "vk_group_id",
        "vk_user_token",
        "vk_staff_chat_id",
        "vk_employee_chat_id",
        "max_bot_token",
        "max_ca_file",
        "max_channel_id",
        "max_staff_chat_id",
        "max_employee_chat_id",
        "redis_url",
        "webhook_url",
        "webhook_secret",
        "vk_callback_confirmation",
        "vk_callback_secret",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            head, sep, tail = value.get_secret_value().partition(":")
            if not (sep and head.isdigit() and tail):
                raise ValueError(
                    "токен должен выглядеть как 123456789:AA... (его выдаёт @BotFather)"
                )
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            bad = [p for p in parts if not p.lstrip("-").isdigit()]
            if bad:
                raise ValueError(f"ожидались числовые id Telegram через запятую, а не {bad[0]!r}")
            return frozenset(int(p) for p in parts)
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("admins", mode="before")
    @classmethod
    def _split_identities(cls, value: object) -> object:
        """`tg:123,vk:456,max:789`: an admin is an account on one messenger."""
        if not isinstance(value, str):
            return value
        people = set()
        for part in (p.strip() for p in value.replace(";", ",").split(",")):
            if not part:
                continue
            person = Person.from_key(part)
            if person is None:
                raise ValueError(
                    f"ожидалось мессенджер:id через запятую (tg:123,vk:456,max:789), а не {part!r}"
                )
            people.add(person)
        return frozenset(people)

    @field_validator("tg_channel_id", "tg_employee_chat_id")
    @classmethod
    def _chat_shape(cls, value: str | None) -> str | None:
        if value is not None:
            value = value.strip()
            if not (value.lstrip("-").isdigit() or value.startswith("@")):
                raise ValueError("ожидался числовой id чата (-100...) или @имя_канала")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"неизвестный часовой пояс {value!r}, пример: Europe/Moscow") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _async_database(cls, value: str) -> str:
        """Only the two async drivers the bot is tested on; a sync URL gets the fix as a hint."""
        value = value.strip()
        scheme, sep, _ = value.partition("://")
        scheme = scheme.lower()
        if not sep or not re.fullmatch(r"[a-z][a-z0-9+]*", scheme):
            raise ValueError(console.DATABASE_URL_SHAPE)
        if scheme in SYNC_SCHEMES:
            good = ASYNC_DRIVERS[SYNC_SCHEMES[scheme]]
            raise ValueError(console.DATABASE_URL_SYNC.format(good=good, bad=scheme))
        if scheme not in ASYNC_DRIVERS.values():
            raise ValueError(console.DATABASE_URL_UNSUPPORTED.format(scheme=scheme))
        return value

    @field_validator("anon_secret")
    @classmethod
    def _long_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value().encode()) < MIN_SECRET_BYTES:
            raise ValueError(console.ANON_SECRET_SHORT.format(minimum=MIN_SECRET_BYTES))
        return value

    @field_validator("max_ca_file")
    @classmethod
    def _readable_ca(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(
                f"нет файла сертификата {str(value)!r} (корневой сертификат Минцифры, PEM)"
            )
        return value

    @field_validator("body_name", "body_short_name", "body_address", "body_site")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("telegram_api_url", "vk_api_url", "max_api_url", "formal_appeal_url")
    @classmethod
    def _url_shape(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("адрес должен начинаться с http:// или https://")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _vk_pair(self) -> Settings:
        if (self.vk_group_token is None) != (self.vk_group_id is None):
            missing = "VK_GROUP_ID" if self.vk_group_id is None else "VK_GROUP_TOKEN"
            raise ValueError(f"{missing}: для ВКонтакте нужны и VK_GROUP_TOKEN, и VK_GROUP_ID")
        return self

    @field_validator("redis_url")
    @classmethod
    def _redis_shape(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("ожидался адрес вида redis://127.0.0.1:6379/0")
        return value

    @model_validator(mode="after")
    def _webhook_pair(self) -> Settings:
        if self.webhook_url is not None:
            if not self.webhook_url.startswith("https://"):
                raise ValueError("WEBHOOK_URL: Telegram принимает только адрес https://...")
            if self.webhook_secret is None:
                raise ValueError(
                    "WEBHOOK_SECRET: для вебхуков нужен секрет (1-256 символов A-Z a-z 0-9 _ -)"
                )
        if self.webhook_secret is not None:
            secret = self.webhook_secret.get_secret_value()
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
                raise ValueError("WEBHOOK_SECRET: допустимы 1-256 символов A-Z a-z 0-9 _ -")
            if self.webhook_url is not None and self.max_bot_token is not None and len(secret) < 5:
                # MAX's SubscriptionRequestBody: 5-256 characters (Telegram accepts 1).
                raise ValueError("WEBHOOK_SECRET: для вебхука MAX нужно не меньше 5 символов")
        return self

    @model_validator(mode="after")
    def _shared_secret(self) -> Settings:
        if self.redis_url is not None and self.anon_secret is None:
            raise ValueError(
                "ANON_SECRET: с REDIS_URL (несколько экземпляров) секрет анонимности задаётся "
                "настройкой, одинаковой на всех серверах, а не файлом на каждом"
            )
        return self

    @property
    def webhooks(self) -> bool:
        """Updates arrive by webhook (one aiohttp server) instead of long polling."""
        return self.webhook_url is not None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def all_admins(self) -> frozenset[Person]:
        """ADMINS, plus ADMIN_IDS read as Telegram accounts (the setting before ADMINS)."""
        return self.admins | {Person("tg", user_id) for user_id in self.admin_ids}

    def staff_chats(self) -> dict[str, int]:
        """The staff chat of each messenger that has one configured."""
        chats = {
            "tg": self.tg_staff_chat_id if self.telegram_enabled else None,
            "vk": self.vk_staff_chat_id if self.vk_enabled else None,
            "max": self.max_staff_chat_id if self.max_enabled else None,
        }
        return {platform: chat for platform, chat in chats.items() if chat is not None}

    @property
    def telegram_enabled(self) -> bool:
        return self.bot_token is not None

    @property
    def vk_enabled(self) -> bool:
        return self.vk_group_token is not None and self.vk_group_id is not None

    @property
    def max_enabled(self) -> bool:
        return self.max_bot_token is not None


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning pydantic's multi-line report into one line per the README."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "?"
        message = str(first["msg"]).removeprefix("Value error, ")
        if not first["loc"]:  # a check across settings names the setting in its message
            name, _, message = message.partition(": ")
        raise SettingsError(console.BAD_SETTING.format(name=name, problem=message)) from None
