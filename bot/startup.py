"""Start-up checks: what the settings point to can be read, written and reached.

Part of the composition root. Each fault becomes a `SettingsError`: one Russian line naming the
setting and what to do, printed by `python -m bot`, which then exits with status 2 instead of a
traceback. The files and the database are checked before the heavy modules (`bot.app`, charts,
messengers) are imported, so a wrong setting is reported in a second or two.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

from bot.appeals.classifier import Classifier, ClassifierError, load_classifier
from bot.config import Settings, SettingsError
from bot.surveys.anonymity import MIN_SECRET_BYTES, load_or_create_secret
from bot.surveys.calendar import CalendarError, ProductionCalendar, load_calendar
from bot.surveys.questionnaire import Questionnaire, QuestionnaireError, load_questionnaires
from bot.texts import console

MISSING_DATABASE = "3D000"
"""PostgreSQL's SQLSTATE for "database does not exist"."""


def bad_setting(name: str, problem: object) -> SettingsError:
    return SettingsError(console.BAD_SETTING.format(name=name, problem=problem))


@dataclass(frozen=True)
class Resources:
    """What the settings' files hold, read once at start-up and handed to `build_services`."""

    questionnaires: dict[str, Questionnaire]
    calendar: ProductionCalendar
    classifier: Classifier
    secret: bytes


def load_resources(settings: Settings) -> Resources:
    """Questionnaires, calendar overrides, appeal topics and the anonymity secret."""
    try:
        questionnaires = load_questionnaires(settings.questionnaires_dir)
    except QuestionnaireError as exc:
        if settings.questionnaires_dir is None:  # a built-in file: the installation is broken
            raise SettingsError(str(exc)) from None
        raise bad_setting("QUESTIONNAIRES_DIR", exc) from None
    try:
        calendar = load_calendar(settings.calendar_overrides)
    except CalendarError as exc:
        raise bad_setting("CALENDAR_OVERRIDES", exc) from None
    try:
        classifier = load_classifier(settings.appeal_topics_file)
    except ClassifierError as exc:
        raise bad_setting("APPEAL_TOPICS_FILE", exc) from None
    return Resources(questionnaires, calendar, classifier, _secret(settings))


def _secret(settings: Settings) -> bytes:
    path = settings.anon_secret_file
    configured = settings.anon_secret.get_secret_value() if settings.anon_secret else None
    try:
        return load_or_create_secret(configured, path)
    except ValueError:
        problem = console.ANON_SECRET_FILE_BAD.format(path=path, digits=2 * MIN_SECRET_BYTES)
        raise bad_setting("ANON_SECRET_FILE", problem) from None
    except OSError as exc:
        problem = console.ANON_SECRET_FILE_DENIED.format(
            path=path, folder=path.parent, reason=failure_reason(exc)
        )
        raise bad_setting("ANON_SECRET_FILE", problem) from None


async def check_database(database_url: str) -> None:
    """Open the database as the bot will (the same engine, a write transaction) and close it;
    what fails here is a setting, not a migration, so it is told as one line."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from bot.db.session import create_engine

    try:
        url = make_url(database_url)
        engine = create_engine(database_url)
    except (ArgumentError, ValueError) as exc:
        example = "postgresql+asyncpg://bot:пароль@127.0.0.1:5432/bot"
        problem = console.DATABASE_URL_UNPARSED.format(reason=exc, example=example)
        raise bad_setting("DATABASE_URL", problem) from None
    except OSError as exc:  # the folder of the SQLite file: a file in its way, no permission
        folder = Path(url.database or ".").parent
        problem = console.DATABASE_FOLDER.format(folder=folder, reason=failure_reason(exc))
        raise bad_setting("DATABASE_URL", problem) from None
    try:
        async with engine.begin() as connection:
            await connection.exec_driver_sql("SELECT 1")
    except DBAPIError as exc:
        reason = str(exc.orig).splitlines()[0] if exc.orig is not None else str(exc)
        if url.get_backend_name() == "sqlite":
            path = Path(url.database or "")
            problem = console.DATABASE_FILE.format(path=path, folder=path.parent, reason=reason)
        elif getattr(exc.orig, "sqlstate", None) == MISSING_DATABASE:
            problem = console.DATABASE_MISSING.format(name=url.database, user=url.username)
        else:
            problem = console.DATABASE_REFUSED.format(reason=reason)
        raise bad_setting("DATABASE_URL", problem) from None
    except OSError as exc:  # refused, no such host, timed out
        problem = console.DATABASE_UNREACHABLE.format(
            host=url.host or "localhost", port=url.port or 5432, reason=failure_reason(exc)
        )
        raise bad_setting("DATABASE_URL", problem) from None
    finally:
        await engine.dispose()


def failure_reason(exc: BaseException) -> str:
    """The operating system's words for why a file or a connection failed ("Connection
    refused"), found under the wrappers of aiohttp, requests and the database drivers."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno:
            if isinstance(current, socket.gaierror) or current.errno < 0:  # name resolution
                return console.HOST_NOT_FOUND.format(reason=current.strerror)
            return os.strerror(current.errno)
        if isinstance(current, TimeoutError):
            return "нет ответа"
        for inner in (current.__cause__, current.__context__, *current.args):
            if isinstance(inner, BaseException):
                pending.append(inner)
        os_error = getattr(current, "os_error", None)  # aiohttp.ClientConnectorError
        if isinstance(os_error, BaseException):
            pending.append(os_error)
        reason = getattr(current, "reason", None)  # urllib3.MaxRetryError
        if isinstance(reason, BaseException):
            pending.append(reason)
    return " ".join(str(exc).split()) or type(exc).__name__
