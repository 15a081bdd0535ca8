"""Command line: `python -m bot run | migrate | demo`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Coroutine
from typing import Any

from bot.app import build_bot, build_dispatcher, build_services, build_vk_bot
from bot.config import Settings, SettingsError, load_settings
from bot.db.migrate import upgrade
from bot.handlers.vk import VkSetupError
from bot.surveys.calendar import CalendarError
from bot.surveys.questionnaire import QuestionnaireError
from bot.texts import console as texts

log = logging.getLogger("bot")


async def run_polling(settings: Settings) -> None:
    """Telegram, VK or both in one process, whichever is configured."""
    services = build_services(settings)
    vk = build_vk_bot(services) if settings.vk_enabled else None
    try:
        await services.windows.close_due_windows()
        pollers = []
        invitations = None
        if vk is not None:
            invitations = await vk.connect()
            log.info(texts.VK_STARTING.format(group_id=settings.vk_group_id))
            pollers.append(vk.run())
        if settings.telegram_enabled:
            bot = build_bot(settings)
            dispatcher = build_dispatcher(services, bot, invitations)
            me = await bot.get_me()
            log.info(texts.STARTING.format(username=me.username))
            if not settings.admin_ids:
                log.warning(texts.NO_ADMINS_WARNING)
            pollers.append(dispatcher.start_polling(bot))
        else:
            log.warning(texts.VK_ONLY_WARNING)
        await first_to_finish(pollers)
    finally:
        if vk is not None:
            vk.close()
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
    parser = argparse.ArgumentParser(prog="python -m bot", description="Бот обратной связи")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="применить миграции и запустить бота (long polling)")
    sub.add_parser("migrate", help="только применить миграции базы данных")
    sub.add_parser("demo", help="показать работу бота без Telegram и сети")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    try:
        settings = load_settings()
        no_messenger = not (settings.telegram_enabled or settings.vk_enabled)
        if args.command == "demo" or (args.command == "run" and no_messenger):
            from bot.devtools.demo import run_demo

            if args.command == "run":
                print(texts.NO_TOKEN)
            run_demo(sys.stdout)
            return 0
        upgrade(settings.database_url)
        if args.command == "migrate":
            print(texts.MIGRATED.format(url=settings.database_url))
            return 0
        asyncio.run(run_polling(settings))
    except (SettingsError, QuestionnaireError, CalendarError, VkSetupError) as exc:
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
