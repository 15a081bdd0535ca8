"""Command line: `python -m bot run | migrate | demo | export | painmap | purge | digest`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import Settings, SettingsError, load_settings
from bot.log_lines import configure_logging
from bot.startup import Resources, check_database, load_resources
from bot.texts import console as texts
from bot.texts import logs

if TYPE_CHECKING:
    from aiogram import Dispatcher

log = logging.getLogger("bot")


async def run_polling(settings: Settings, resources: Resources | None = None) -> None:
    """Telegram, VK and MAX in one process, whichever are configured, plus the scheduler."""
    from bot.app import (
        build_bot,
        build_dispatcher,
        build_max_bot,
        build_scheduler,
        build_services,
        build_vk_bot,
        connect_max,
        connect_telegram,
        connect_vk,
        poll_telegram,
        settle_heap,
    )
    from bot.handlers.telegram.menu import publish_commands

    services = build_services(settings, resources=resources)
    vk = build_vk_bot(services) if settings.vk_enabled else None
    max_bot = build_max_bot(services) if settings.max_enabled else None
    bot = dispatcher = scheduler = None
    try:
        # Every messenger is checked before any polls: a wrong setting stops the start whole.
        if max_bot is not None:
            await connect_max(settings, max_bot)
            log.info(texts.MAX_STARTING.format(username=max_bot.username))
            await max_bot.publish_commands()
        if vk is not None:
            await connect_vk(services, vk)
            log.info(texts.VK_STARTING.format(group_id=settings.vk_group_id))
        if settings.telegram_enabled:
            bot = build_bot(settings)
            dispatcher = build_dispatcher(services, bot)
            me = await connect_telegram(settings, bot)
            log.info(texts.STARTING.format(username=me.username))
            await publish_commands(bot, services.roles)
        services.chart_renderer.start()  # so the first /report does not wait for the workers
        pollers = [m.run() for m in (max_bot, vk) if m is not None]
        if bot is not None and dispatcher is not None:
            # aiogram would close the bot's HTTP session as its polling ends, cutting the Bot
            # API calls of the updates still in hand (their replies lost, the poll confirmed):
            # the session closes below, once they finished.
            pollers.append(poll_telegram(dispatcher, bot, close_bot_session=False))
        if not settings.all_admins:
            log.warning(texts.NO_ADMINS_WARNING)
        settle_heap()
        # Windows open and close, reports, the digest and the purge run with any messenger.
        scheduler = build_scheduler(services)
        await scheduler.start()
        # Retries notices that could not be sent (or whose sender died); ends with the pollers.
        pollers.append(services.outbox.run())
        if services.coordination.redis is not None:  # other instances' changes to the caches
            pollers.append(services.coordination.listen())
        stop = asyncio.Event()
        pollers.append(until_stopped(stop, dispatcher))
        with stopped_by_signals(stop):
            await first_to_finish(pollers)
    finally:
        # Telegram's updates in hand run as aiogram's tasks, which outlive its polling: their
        # poll is confirmed, so they finish before the database and the sessions close.
        if services.coordination.in_hand:
            log.info(logs.UPDATES_IN_HAND_AT_STOP, services.coordination.in_hand)
        if not await services.coordination.drained(SHUTDOWN_SECONDS):
            log.warning(logs.UPDATES_CUT_AT_STOP, SHUTDOWN_SECONDS)
        if scheduler is not None:
            scheduler.shutdown()
        if bot is not None:
            await bot.session.close()
        if vk is not None:
            vk.close()
        if max_bot is not None:
            await max_bot.close()
        await services.close()


@contextmanager
def stopped_by_signals(stop: asyncio.Event) -> Iterator[None]:
    """Inside, SIGTERM and Ctrl+C set `stop` (on Windows, where a loop takes no signals,
    Ctrl+C stays a KeyboardInterrupt)."""
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT)
    try:
        with suppress(NotImplementedError):
            for sig in signals:
                loop.add_signal_handler(sig, stop.set)
        yield
    finally:
        with suppress(NotImplementedError):
            for sig in signals:
                loop.remove_signal_handler(sig)


async def until_stopped(stop: asyncio.Event, dispatcher: Dispatcher | None) -> None:
    """SIGTERM or Ctrl+C: one line of ours, then aiogram's polling ends as its own signal
    handler would end it (which logs an English warning, so the bot takes the signals itself);
    `first_to_finish` then stops the other pollers."""
    await stop.wait()
    log.info(texts.POLLING_STOPPING)
    if dispatcher is not None:
        with suppress(RuntimeError):  # the signal came before aiogram started polling
            await dispatcher.stop_polling()


async def run_webhooks(settings: Settings, resources: Resources | None = None) -> None:
    """Every messenger's webhook on one aiohttp server (WEBHOOK_URL), plus the scheduler.

    SIGTERM or Ctrl+C: the server stops taking requests, finishes those in flight (each one an
    update being handled; up to SHUTDOWN_SECONDS), then the scheduler and the database close.
    """
    from aiohttp import web

    from bot.app import (
        build_bot,
        build_dispatcher,
        build_max_bot,
        build_scheduler,
        build_services,
        build_vk_bot,
        connect_max,
        connect_telegram,
        connect_vk,
        settle_heap,
    )
    from bot.handlers.positions import PollPositions
    from bot.handlers.telegram.menu import publish_commands
    from bot.webhooks import MAX_UPDATE_TYPES, build_web_app

    assert settings.webhook_url is not None and settings.webhook_secret is not None
    base = settings.webhook_url.rstrip("/")
    secret = settings.webhook_secret.get_secret_value()
    services = build_services(settings, resources=resources)
    vk = build_vk_bot(services) if settings.vk_enabled else None
    max_bot = build_max_bot(services) if settings.max_enabled else None
    bot = dispatcher = scheduler = None
    runner: web.AppRunner | None = None
    workers: list[asyncio.Task[None]] = []
    try:
        await PollPositions(services.sessionmaker).forget()
        if max_bot is not None:
            await connect_max(settings, max_bot)
            await max_bot.subscribe(f"{base}/max", secret, MAX_UPDATE_TYPES)
            await max_bot.publish_commands()
        if vk is not None:
            await connect_vk(services, vk)
        if settings.telegram_enabled:
            bot = build_bot(settings)
            dispatcher = build_dispatcher(services, bot)
            await connect_telegram(settings, bot)
            await publish_commands(bot, services.roles)
            await bot.set_webhook(
                f"{base}/telegram",
                secret_token=secret,
                allowed_updates=dispatcher.resolve_used_update_types(),
            )
        scheduler = build_scheduler(services)
        await scheduler.start()
        app = build_web_app(
            services,
            bot=bot,
            dispatcher=dispatcher,
            vk_handler=vk.on_event if vk is not None else None,
            max_handler=max_bot.on_event if max_bot is not None else None,
            scheduler=scheduler,
        )
        settle_heap()
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_SECONDS)
        await runner.setup()
        host, port = settings.webhook_host, settings.webhook_port
        await web.TCPSite(runner, host, port).start()
        log.info(texts.WEBHOOK_LISTENING.format(host=host, port=port))
        stop = asyncio.Event()
        workers.append(asyncio.create_task(services.outbox.run()))
        if services.coordination.redis is not None:  # other instances' changes to the caches
            workers.append(asyncio.create_task(services.coordination.listen()))
        with stopped_by_signals(stop):
            await stop.wait()
        log.info(texts.STOPPING)
    finally:
        if runner is not None:
            await runner.cleanup()
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        if scheduler is not None:
            scheduler.shutdown()
        if bot is not None:
            await bot.session.close()
        if vk is not None:
            vk.close()
        if max_bot is not None:
            await max_bot.close()
        await services.close()


SHUTDOWN_SECONDS = 30.0


async def run_purge(settings: Settings) -> int:
    from bot.app import build_services
    from bot.appeals.jobs import purge_personal_data

    services = build_services(settings)
    try:
        return await purge_personal_data(services.appeals)
    finally:
        await services.close()


async def run_digest(settings: Settings) -> bool:
    """Post the appeals digest to the staff chat of every configured messenger once (for cron,
    without the running bot); False if no appeal was due."""
    from bot.app import build_services, outgoing_messengers
    from bot.appeals.jobs import daily_digest

    services = build_services(settings)
    try:
        async with outgoing_messengers(services):
            return await daily_digest(services.appeals)
    finally:
        await services.close()


async def first_to_finish(coroutines: list[Coroutine[Any, Any, None]]) -> None:
    """Run pollers side by side; when one ends (aiogram stops on Ctrl+C, or one fails), stop
    the others too, so the process never keeps half of itself running."""
    tasks = [asyncio.create_task(c) for c in coroutines]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        if not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]


def main(argv: list[str] | None = None) -> int:
    # argparse's usage line, headings and errors in Russian (see texts.ARGPARSE).
    argparse._ = lambda text: texts.ARGPARSE.get(text, text)  # type: ignore[attr-defined]
    parser = argparse.ArgumentParser(prog="python -m bot", description="Бот обратной связи")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="применить миграции и запустить бота (long polling)")
    sub.add_parser("migrate", help="только применить миграции базы данных")
    sub.add_parser("demo", help="показать работу бота без Telegram и сети")
    export = sub.add_parser("export", help="выгрузить окно опроса (XLSX/CSV) или форму учёта")
    export.add_argument("target", help="номер окна или accounting (форма учёта)")
    export.add_argument("year", nargs="?", type=int, help="год формы учёта (по умолчанию текущий)")
    export.add_argument("--csv", action="store_true", help="только ответы, в CSV")
    export.add_argument("--out", type=Path, help="куда сохранить (по умолчанию — в текущую папку)")
    painmap = sub.add_parser("painmap", help="проект карты болей по окну опроса (XLSX)")
    painmap.add_argument("window_id", type=int)
    painmap.add_argument("--out", type=Path)
    sub.add_parser("purge", help="обезличить обращения с истёкшим сроком хранения")
    sub.add_parser("digest", help="отправить в чат сотрудников сводку сроков по обращениям")
    args = parser.parse_args(argv)
    for level, name in logs.LEVEL_NAMES.items():
        logging.addLevelName(level, name)
    configure_logging()

    try:
        settings = load_settings()
        no_messenger = not (
            settings.telegram_enabled or settings.vk_enabled or settings.max_enabled
        )
        if args.command == "demo" or (args.command == "run" and no_messenger):
            from bot.devtools.demo import run_demo

            if args.command == "run":
                print(texts.NO_TOKEN)
            run_demo(sys.stdout)
            return 0
        # Cheap checks first, before the heavy modules: the files the settings name (not
        # for migrate, which needs only the database), then the database itself.
        resources = load_resources(settings) if args.command == "run" else None
        asyncio.run(check_database(settings.database_url))
        from bot.db.migrate import upgrade

        upgrade(settings.database_url)
        if args.command == "migrate":
            print(texts.MIGRATED.format(url=settings.database_url))
            return 0
        if args.command in {"export", "painmap"}:
            from bot.reports.cli import export_command, painmap_command

            ok, message = asyncio.run(
                export_command(settings, args.target, args.year, args.csv, args.out)
                if args.command == "export"
                else painmap_command(settings, args.window_id, args.out)
            )
            print(message, file=sys.stdout if ok else sys.stderr)
            return 0 if ok else 1
        if args.command == "digest":
            if not settings.staff_chats():
                print(texts.DIGEST_NEEDS_CHAT, file=sys.stderr)
                return 2
            try:
                sent = asyncio.run(run_digest(settings))
            except ConnectionError:
                print(texts.DIGEST_FAILED, file=sys.stderr)
                return 1
            print(texts.DIGEST_SENT if sent else texts.DIGEST_EMPTY)
            return 0
        if args.command == "purge":
            print(texts.PURGED.format(count=asyncio.run(run_purge(settings))))
            return 0
        run = run_webhooks if settings.webhooks else run_polling
        asyncio.run(run(settings, resources))
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
