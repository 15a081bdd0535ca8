"""How many survey updates per second the bot serves: `python -m benchmarks.throughput`.

Simulated citizens answer the shipped CSI survey (/start csi, then about 25 button presses)
through the real aiogram dispatcher and the real database, updates fed as a webhook would feed
them (`Dispatcher.feed_update`). In the same run and against the same stub Bot API (a separate
process, so its CPU is not counted) two reference bots take the same stream of updates:

- "bare": a bare aiogram bot, one fixed reply per update (answers the press);
- "bare-io": the same Bot API calls as the survey (answer the press, edit the message with a
  1-10 keyboard; a message gets a message with the keyboard), no database.

For each bot it reports the saturated rate (closed loop, `--people` citizens at once, no think
time; the three bots take turns in `--turns` slices, so a drift of the machine's speed meets
them all, and the survey / bare-io ratio is given per turn too), CPU ms per update (this
process: the bot, aiogram, SQLAlchemy, the driver and the load generator), SQL statements per
update, updates that failed, and p50/p99 latency at fixed offered loads (open loop: one
update every 1/rate s, each to an idle citizen; as when polling, at most `UPDATES_IN_HAND` are
in hand at once and the rest wait, their wait counted in their latency). Databases: SQLite
(a temporary file) and PostgreSQL (`--pg-url`, dropped and re-created).

`--instances N` (or `--redis-url`) runs the survey bot in N processes of its own against one
PostgreSQL (and Redis, if given), saturated with `--people` citizens split between them, and
adds up their rates; compare `--instances 1` and `--instances 2` with the same Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.methods import TelegramMethod
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from aiohttp import web
from sqlalchemy import event

from bot.handlers.ordering import UPDATES_IN_HAND

TOKEN = "123456:BENCH"
BOT_ID = 123456
DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/h_scale_bench"


# ---------------------------------------------------------------- stub Bot API (own process)


def _stub_message(chat_id: Any, message_id: int) -> dict[str, Any]:
    chat = int(chat_id) if str(chat_id).lstrip("-").isdigit() else 1
    return {
        "message_id": message_id,
        "date": 0,
        "chat": {"id": chat, "type": "private"},
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "bot"},
        "text": "ok",
    }


def _run_stub(port_queue: Any) -> None:
    """Answers every Bot API method with a plausible result; nothing is recorded."""
    counter = iter(range(1, 10**12))

    async def handle(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = dict(await request.post())
        if method in {"sendMessage", "editMessageText"}:
            result: Any = _stub_message(params.get("chat_id"), next(counter))
        elif method == "getMe":
            result = {"id": BOT_ID, "is_bot": True, "first_name": "bot", "username": "bench"}
        else:
            result = True
        return web.json_response({"ok": True, "result": result})

    async def main() -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port_queue.put(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        await asyncio.Event().wait()

    asyncio.run(main())


# ---------------------------------------------------------------- citizens and updates


class KeyboardSession(AiohttpSession):
    """Remembers the last inline keyboard sent to each chat, so a simulated citizen can press
    one of its buttons, as a person would."""

    def __init__(self, api: TelegramAPIServer) -> None:
        super().__init__(api=api)
        self.keyboards: dict[int, InlineKeyboardMarkup] = {}

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        markup = getattr(method, "reply_markup", None)
        chat_id = getattr(method, "chat_id", None)
        if isinstance(markup, InlineKeyboardMarkup) and isinstance(chat_id, int):
            self.keyboards[chat_id] = markup
        return await super().make_request(bot, method, timeout)


_update_ids = iter(range(random.randrange(10**12), 10**13))
"""Random start: with REDIS_URL, ids already seen (another process, an earlier run) would be
skipped as redeliveries."""


def message_update(user_id: int, text: str) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "Иван"}
    data = {
        "update_id": next(_update_ids),
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"},
            "from": user,
            "text": text,
            **(
                {"entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]}
                if text.startswith("/")
                else {}
            ),
        },
    }
    return data


def callback_update(user_id: int, data: str) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "Иван"}
    payload = {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids)),
            "from": user,
            "chat_instance": "1",
            "data": data,
            "message": {
                "message_id": 7,
                "date": int(time.time()),
                "chat": {"id": user_id, "type": "private"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "bot"},
                "text": "вопрос",
            },
        },
    }
    return payload


SURVEY_LENGTH = 26
"""Updates per citizen for the reference bots: /start and 25 presses, as the CSI survey."""


class Citizen:
    """One person: /start csi, then a press of a button of the last keyboard (a random score,
    never «Назад»), until the bot sends no keyboard."""

    def __init__(self, user_id: int, session: KeyboardSession, fixed_length: bool) -> None:
        self.user_id = user_id
        self._session = session
        self._fixed = fixed_length
        self.sent = 0
        self.done = False

    def next_update(self) -> dict[str, Any]:
        if self.sent == 0:
            update = message_update(self.user_id, "/start csi")
        elif self._fixed:
            update = callback_update(self.user_id, f"sv:1:{self.sent}:5")
        else:
            markup = self._session.keyboards.pop(self.user_id, None)
            if markup is None:
                raise RuntimeError(f"citizen {self.user_id} got no keyboard")
            buttons = [
                b.callback_data
                for row in markup.inline_keyboard
                for b in row
                if b.callback_data and not b.callback_data.endswith(":back")
            ]
            update = callback_update(self.user_id, random.choice(buttons))
        self.sent += 1
        return update

    def after(self) -> None:
        if self._fixed:
            self.done = self.sent >= SURVEY_LENGTH
        else:
            self.done = self.user_id not in self._session.keyboards


# ---------------------------------------------------------------- the three bots


def _bare_router(with_io: bool) -> Router:
    router = Router()
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=str(n), callback_data=f"sv:1:1:{n}")
                for n in (1, 2, 3, 4, 5)
            ],
            [
                InlineKeyboardButton(text=str(n), callback_data=f"sv:1:1:{n}")
                for n in (6, 7, 8, 9, 10)
            ],
        ]
    )

    @router.callback_query(F.data)
    async def pressed(callback: CallbackQuery) -> None:
        await callback.answer()
        if with_io and isinstance(callback.message, Message):
            await callback.message.edit_text("Вопрос 2 из 25. Оцените...", reply_markup=markup)

    @router.message()
    async def typed(message: Message) -> None:
        await message.answer("Здравствуйте!", reply_markup=markup if with_io else None)

    return router


@dataclass
class Target:
    name: str
    dispatcher: Dispatcher
    bot: Bot
    session: KeyboardSession
    fixed_length: bool
    statements: list[int] = field(default_factory=lambda: [0])
    close: Callable[[], Awaitable[None]] | None = None
    in_hand: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(UPDATES_IN_HAND))
    """As `python -m bot run` polls: at most UPDATES_IN_HAND updates taken at once, the rest
    wait at the messenger (their latency counts from the moment they were offered)."""


def _bot(api_url: str) -> tuple[Bot, KeyboardSession]:
    session = KeyboardSession(TelegramAPIServer.from_base(api_url))
    bot = Bot(TOKEN, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    return bot, session


def bare_target(api_url: str, with_io: bool) -> Target:
    bot, session = _bot(api_url)
    dispatcher = Dispatcher()
    dispatcher.include_router(_bare_router(with_io))
    return Target("bare-io" if with_io else "bare", dispatcher, bot, session, fixed_length=True)


async def survey_target(api_url: str, database_url: str, redis_url: str | None) -> Target:
    from bot.app import build_dispatcher, build_services
    from bot.config import load_settings

    overrides: dict[str, Any] = dict(
        bot_token=TOKEN,
        telegram_api_url=api_url,
        database_url=database_url,
        admin_ids="1",
        anon_secret="bench-secret-bench-secret",
        _env_file=None,
    )
    if redis_url:
        overrides["redis_url"] = redis_url
    settings = load_settings(**overrides)
    services = build_services(settings)
    bot, session = _bot(api_url)
    dispatcher = build_dispatcher(services, bot)
    target = Target("survey", dispatcher, bot, session, fixed_length=False)

    def count(*_args: Any) -> None:
        target.statements[0] += 1

    event.listen(services.engine.sync_engine, "before_cursor_execute", count)

    async def close() -> None:
        await services.close()

    target.close = close
    return target


async def prepare_database(database_url: str) -> None:
    """A fresh schema and one open CSI window."""
    from bot.app import build_services
    from bot.config import load_settings
    from bot.db.migrate import upgrade

    if database_url.startswith("postgresql"):
        import asyncpg

        name = database_url.rsplit("/", 1)[1]
        admin = database_url.replace("postgresql+asyncpg", "postgresql").rsplit("/", 1)[0]
        conn = await asyncpg.connect(admin + "/postgres")
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
    await asyncio.to_thread(upgrade, database_url)
    services = build_services(
        load_settings(
            database_url=database_url, anon_secret="bench-secret-bench-secret", _env_file=None
        )
    )
    try:
        await services.windows.open_window("csi")
    finally:
        await services.close()


# ---------------------------------------------------------------- load generation


@dataclass
class Result:
    updates: int = 0
    failed: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    statements: int = 0
    latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0

    @classmethod
    def merge(cls, parts: list[Result]) -> Result:
        return cls(
            updates=sum(p.updates for p in parts),
            failed=sum(p.failed for p in parts),
            seconds=sum(p.seconds for p in parts),
            cpu=sum(p.cpu for p in parts),
            statements=sum(p.statements for p in parts),
            latencies=[x for p in parts for x in p.latencies],
        )

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


class Crowd:
    """Citizens with ids from `first`, created as needed; finished ones leave."""

    def __init__(self, target: Target, first: int, step: int = 1) -> None:
        self._target = target
        self._next_id = first
        self._step = step
        self.idle: list[Citizen] = []

    def citizen(self) -> Citizen:
        if self.idle:
            return self.idle.pop()
        citizen = Citizen(self._next_id, self._target.session, self._target.fixed_length)
        self._next_id += self._step
        return citizen

    async def one(self, citizen: Citizen, result: Result) -> None:
        data = citizen.next_update()
        started = time.perf_counter()
        try:
            async with self._target.in_hand:
                # Parsed once, bound to the bot, as polling and the webhook handler do. (An
                # update parsed without the bot is parsed again by aiogram.)
                update = Update.model_validate(data, context={"bot": self._target.bot})
                await self._target.dispatcher.feed_update(self._target.bot, update)
        except Exception:
            result.failed += 1
            citizen.done = True
            return
        result.latencies.append(time.perf_counter() - started)
        result.updates += 1
        citizen.after()


async def saturate(target: Target, people: int, seconds: float, crowd: Crowd) -> Result:
    """Closed loop: `people` citizens at once, each sending its next update when the last one
    is answered; a finished citizen is replaced by a new one (citizens left mid-survey at the
    end go on in the crowd's next measurement)."""
    result = Result()
    deadline = time.perf_counter() + seconds

    async def person_slot() -> None:
        while time.perf_counter() < deadline:
            citizen = crowd.citizen()
            while not citizen.done and time.perf_counter() < deadline:
                await crowd.one(citizen, result)
            if not citizen.done:
                crowd.idle.append(citizen)

    statements, cpu, started = target.statements[0], time.process_time(), time.perf_counter()
    await asyncio.gather(*(person_slot() for _ in range(people)))
    result.seconds = time.perf_counter() - started
    result.cpu = time.process_time() - cpu
    result.statements = target.statements[0] - statements
    return result


async def saturate_in_turns(
    targets: list[Target], people: int, seconds: float, turns: int, first_id: int
) -> tuple[list[Result], list[list[Result]]]:
    """Each target saturated for `seconds` in all, in `turns` slices taken in turn (bare,
    bare-io, survey, bare, ...): on a machine whose speed drifts (a shared VM), every target
    meets the same drift, and each turn gives a ratio of rates measured within seconds of
    each other. Returns the merged result per target and the slices per turn."""
    crowds = [Crowd(t, first_id + i * 1_000_000) for i, t in enumerate(targets)]
    slices: list[list[Result]] = []
    for _ in range(turns):
        slices.append(
            [
                await saturate(t, people, seconds / turns, crowd)
                for t, crowd in zip(targets, crowds, strict=True)
            ]
        )
    merged = [Result.merge([turn[i] for turn in slices]) for i in range(len(targets))]
    return merged, slices


async def offered(target: Target, rate: float, seconds: float, first_id: int) -> Result:
    """Open loop: one update every 1/rate s, to a citizen not waiting for an answer."""
    crowd = Crowd(target, first_id)
    result = Result()
    tasks: set[asyncio.Task[None]] = set()

    async def run(citizen: Citizen) -> None:
        await crowd.one(citizen, result)
        if not citizen.done:
            crowd.idle.append(citizen)

    statements, cpu, started = target.statements[0], time.process_time(), time.perf_counter()
    count = int(rate * seconds)
    for i in range(count):
        delay = started + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(run(crowd.citizen()))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.gather(*tasks)
    result.seconds = time.perf_counter() - started
    result.cpu = time.process_time() - cpu
    result.statements = target.statements[0] - statements
    return result


# ---------------------------------------------------------------- reporting


def row(name: str, res: Result) -> dict[str, Any]:
    n = max(res.updates, 1)
    return {
        "bot": name,
        "updates_s": round(res.rate, 1),
        "cpu_ms": round(res.cpu * 1000 / n, 2),
        "sql": round(res.statements / n, 2),
        "failed": res.failed,
        "p50_ms": round(res.percentile(0.50), 1),
        "p99_ms": round(res.percentile(0.99), 1),
    }


def print_rows(title: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{title}")
    print(
        f"{'bot':<10}{'upd/s':>9}{'cpu ms':>8}{'sql/upd':>9}{'failed':>8}{'p50 ms':>9}{'p99 ms':>9}"
    )
    for r in rows:
        print(
            f"{r['bot']:<10}{r['updates_s']:>9}{r['cpu_ms']:>8}{r['sql']:>9}"
            f"{r['failed']:>8}{r['p50_ms']:>9}{r['p99_ms']:>9}"
        )


async def bench_one_process(
    args: argparse.Namespace, api_url: str, database_url: str
) -> dict[str, Any]:
    await prepare_database(database_url)
    targets = [
        bare_target(api_url, with_io=False),
        bare_target(api_url, with_io=True),
        await survey_target(api_url, database_url, args.redis_url),
    ]
    from bot.app import settle_heap

    settle_heap()  # as `python -m bot run` does once it has started
    report: dict[str, Any] = {"saturated": [], "loads": {}}
    first_id = 10_000
    try:
        # Warm up: imports, pools, the questionnaire parse.
        for target in targets:
            await saturate(target, 5, 0.5, Crowd(target, first_id))
            first_id += 10_000
        merged, slices = await saturate_in_turns(
            targets, args.people, args.seconds, args.turns, first_id
        )
        first_id += 10_000_000
        report["saturated"] = [row(t.name, r) for t, r in zip(targets, merged, strict=True)]
        report["survey / bare-io per turn"] = [
            round(turn[2].rate / turn[1].rate, 2) for turn in slices
        ]
        for rate in args.loads:
            rows = []
            for target in targets:
                res = await offered(target, rate, args.seconds, first_id)
                first_id += 100_000
                rows.append(row(target.name, res) | {"achieved": round(res.rate, 1)})
            report["loads"][str(rate)] = rows
    finally:
        for target in targets:
            await target.bot.session.close()
            if target.close is not None:
                await target.close()
    return report


def _instance(
    api_url: str, database_url: str, args: argparse.Namespace, index: int, out: Any
) -> None:
    """One of several survey processes: saturate with its own citizens, report back."""

    async def main() -> None:
        from bot.app import settle_heap

        target = await survey_target(api_url, database_url, args.redis_url)
        settle_heap()
        try:
            await saturate(target, 5, 0.5, Crowd(target, 5_000_000 + index * 1_000_000))
            out.put("ready")
            res = await saturate(
                target,
                args.people // args.instances,
                args.seconds,
                Crowd(target, (index + 1) * 10_000_000),
            )
            out.put(
                json.dumps(
                    row(f"survey#{index}", res) | {"updates": res.updates, "seconds": res.seconds}
                )
            )
        finally:
            await target.bot.session.close()
            if target.close is not None:
                await target.close()

    asyncio.run(main())


def bench_instances(args: argparse.Namespace, api_url: str, database_url: str) -> dict[str, Any]:
    asyncio.run(prepare_database(database_url))
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_instance, args=(api_url, database_url, args, i, queue))
        for i in range(args.instances)
    ]
    for p in procs:
        p.start()
    results = []
    ready = 0
    while len(results) < args.instances:
        item = queue.get(timeout=600)
        if item == "ready":
            ready += 1
        else:
            results.append(json.loads(item))
    for p in procs:
        p.join()
    total = sum(r["updates"] for r in results) / max(r["seconds"] for r in results)
    return {"instances": results, "total_updates_s": round(total, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.throughput")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL"))
    parser.add_argument("--people", type=int, default=50, help="citizens at once (saturation)")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each measurement")
    parser.add_argument(
        "--turns", type=int, default=5, help="slices the saturated measurement is taken in, in turn"
    )
    parser.add_argument(
        "--loads",
        type=lambda s: [float(x) for x in s.split(",") if x],
        default=[50.0, 100.0, 200.0],
    )
    parser.add_argument("--instances", type=int, default=1, help="survey processes (PostgreSQL)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    ctx = multiprocessing.get_context("spawn")
    port_queue = ctx.Queue()
    stub = ctx.Process(target=_run_stub, args=(port_queue,), daemon=True)
    stub.start()
    api_url = f"http://127.0.0.1:{port_queue.get(timeout=300)}"
    figures: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            databases = []
            if args.db in {"sqlite", "both"}:
                databases.append(("sqlite", f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"))
            if args.db in {"postgres", "both"}:
                databases.append(("postgres", args.pg_url))
            for name, url in databases:
                if args.instances > 1 or args.redis_url:
                    if name == "sqlite":
                        continue
                    label = f"{name} x{args.instances}"
                    figures[label] = bench_instances(args, api_url, url)
                    print(f"\n{label}: {figures[label]}")
                    continue
                report = asyncio.run(bench_one_process(args, api_url, url))
                figures[name] = report
                print_rows(
                    f"{name}: saturated, {args.people} citizens at once", report["saturated"]
                )
                for rate, rows in report["loads"].items():
                    print_rows(f"{name}: offered {rate} updates/s", rows)
                survey = report["saturated"][2]["updates_s"]
                bare_io = report["saturated"][1]["updates_s"]
                turns = report["survey / bare-io per turn"]
                print(
                    f"survey / bare-io = {survey / bare_io:.2f} (target at least 0.50);"
                    f" per turn {', '.join(f'{x:.2f}' for x in turns)},"
                    f" median {sorted(turns)[len(turns) // 2]:.2f}"
                )
    finally:
        stub.terminate()
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    print(f"\n{os.cpu_count()} CPUs; load generator and stub Bot API on the same cores.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
