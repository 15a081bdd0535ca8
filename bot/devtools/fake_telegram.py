"""A fake Telegram Bot API server on 127.0.0.1, for tests and `python -m bot demo`.

The real bot talks HTTP to it (`TELEGRAM_API_URL`), so everything between aiogram and the
network is exercised. It serves `getUpdates` long polling from a queue the caller fills, records
every call the bot makes, answers them with plausible objects, and can be told to fail a method
with 429 "retry after" a number of times, or to keep a method's calls unanswered until released
(a bot caught in the middle of its updates, e.g. when it is told to stop).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.devtools.holds import Holds
from bot.devtools.loopback import PUSH_CEILING, serve_on_loopback

BOT_ID = 5000000001
TOKEN = "123456:TEST"
"""The one token this fake Bot API accepts; any other is refused with 401, as Telegram does."""
BOT_USERNAME = "feedback_test_bot"
SENDING_METHODS = {
    "sendMessage",
    "editMessageText",
    "sendPhoto",
    "sendDocument",
    "sendMediaGroup",
    "copyMessage",
    "forwardMessage",
}

RESTRICTED_PERMISSIONS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_react_to_messages",
    "can_edit_tag",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
)
"""Fields a "restricted" ChatMember must carry for aiogram to accept it."""


TEXT_LIMIT = 4096


TAG = re.compile(
    r"</?(b|strong|i|em|u|ins|s|strike|del|a|code|pre|span|tg-spoiler|blockquote)"
    r"(\s[^<>]*)?>"
)


def html_parses(params: dict[str, Any]) -> bool:
    """Whether Telegram would parse the text: in HTML mode every '<' must open a known tag."""
    if params.get("parse_mode") != "HTML":
        return True
    text = str(params.get("text", ""))
    return "<" not in TAG.sub("", text)


def visible_length(params: dict[str, Any]) -> int:
    """A message's length as Telegram counts it: HTML tags parsed away, entities decoded."""
    text = str(params.get("text", ""))
    if params.get("parse_mode") == "HTML":
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return len(text)


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    result: Any = None
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    """Uploaded files by form field: (file name, content)."""

    def attachment(self, reference: str) -> tuple[str, bytes]:
        """The upload a parameter points to ("attach://name", as aiogram sends files)."""
        return self.files[reference.removeprefix("attach://")]

    @property
    def message_id(self) -> int:
        """The id of the message this call sent or edited."""
        if isinstance(self.result, dict) and "message_id" in self.result:
            return int(self.result["message_id"])
        return int(self.params.get("message_id") or 0)

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None and str(value).lstrip("-").isdigit() else None

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        markup = self.params.get("reply_markup") or {}
        return markup.get("inline_keyboard", []) if isinstance(markup, dict) else []

    def button(self, label: str) -> dict[str, Any]:
        for row in self.buttons:
            for button in row:
                if button["text"] == label:
                    return button
        raise LookupError(f"no button {label!r} in {self.labels}")

    @property
    def labels(self) -> list[str]:
        return [b["text"] for row in self.buttons for b in row]


@dataclass
class FakeTelegram:
    calls: list[Call] = field(default_factory=list)
    chat_members: dict[tuple[int, int], str] = field(default_factory=dict)
    failures: dict[str, list[int]] = field(default_factory=dict)
    """method -> retry-after seconds for each of its next calls that must fail with 429."""
    blocked: set[int] = field(default_factory=set)
    """Users who blocked the bot: sending them anything fails with 403."""
    token: str = TOKEN
    holds: Holds = field(default_factory=Holds)
    """Methods whose calls wait unanswered until the test releases them."""

    def __post_init__(self) -> None:
        self._pending: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._confirmed = 0
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner, self.base_url = await serve_on_loopback(app)
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what the bot sent ----------------------------------------------------------------
    def sent(self, chat_id: int | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method in SENDING_METHODS and (chat_id is None or c.chat_id == chat_id)
        ]

    def last(self, chat_id: int) -> Call:
        sent = self.sent(chat_id)
        if not sent:
            raise LookupError(f"nothing was sent to {chat_id}")
        return sent[-1]

    def clear(self) -> None:
        self.calls.clear()

    # --- updates the bot will receive -----------------------------------------------------
    async def push(self, update: dict[str, Any], *, wait: float = PUSH_CEILING) -> None:
        """Queue an update and return once the bot has processed it (it asked for the next)."""
        update_id = next(self._update_ids)
        async with self._changed:
            self._pending.append({"update_id": update_id, **update})
            self._changed.notify_all()
            await asyncio.wait_for(
                self._changed.wait_for(lambda: self._confirmed >= update_id), wait
            )

    @staticmethod
    def user(user_id: int, first_name: str = "Иван") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "ru"}

    def bot_message(self, call: Call) -> dict[str, Any]:
        """What the bot sent in `call`, as the `reply_to_message` of a user's reply."""
        chat_id = call.chat_id or 0
        return {
            "message_id": call.message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Bot", "username": BOT_USERNAME},
            "text": call.text,
        }

    def message_update(
        self, user_id: int, text: str | None = None, *, chat_id: int | None = None, **extra: Any
    ) -> dict[str, Any]:
        chat_id = chat_id if chat_id is not None else user_id
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id == user_id else "supergroup"},
            "from": self.user(user_id),
            **extra,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return {"message": message}

    def callback_update(
        self, user_id: int, data: str, message_id: int, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        """A button press; `chat_id` for a message in a group (default: the private chat)."""
        chat_id = chat_id if chat_id is not None else user_id
        chat_type = "private" if chat_id == user_id else "supergroup"
        return {
            "callback_query": {
                "id": str(next(self._message_ids)),
                "from": self.user(user_id),
                "chat_instance": str(user_id),
                "data": data,
                "message": {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": chat_type},
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "Bot"},
                    "text": "…",
                },
            }
        }

    # --- the HTTP side --------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            self.calls.append(Call(f"{method}:401", {}))
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        params = await self._params(request)
        await self.holds.passing(method)
        retry = self.failures.get(method)
        if retry:
            seconds = retry.pop(0)
            self.calls.append(Call(f"{method}:429", params))
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {seconds}",
                    "parameters": {"retry_after": seconds},
                },
                status=429,
            )
        if method in SENDING_METHODS and Call(method, params).chat_id in self.blocked:
            self.calls.append(Call(f"{method}:403", params))
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 403,
                    "description": "Forbidden: bot was blocked by the user",
                },
                status=403,
            )
        if method in ("sendMessage", "editMessageText") and not html_parses(params):
            # As Telegram: a '<' that opens no supported tag makes the whole message fail.
            self.calls.append(Call(f"{method}:400", params))
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: can't parse entities: unsupported start tag",
                },
                status=400,
            )
        if method in ("sendMessage", "editMessageText") and visible_length(params) > TEXT_LIMIT:
            # As Telegram: over 4096 characters (after HTML parsing) the message is refused.
            self.calls.append(Call(f"{method}:400", params))
            return web.json_response(
                {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"},
                status=400,
            )
        if method == "getUpdates":
            return web.json_response({"ok": True, "result": await self._get_updates(params)})
        result = self._result(method, params)
        self.calls.append(Call(method, params, result, await self._files(request)))
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            raw: dict[str, Any] = await request.json()
        else:
            form = await request.post()
            raw = {k: v for k, v in form.items() if isinstance(v, str)}
            raw.update({k: "<file>" for k, v in form.items() if not isinstance(v, str)})
        parsed: dict[str, Any] = {}
        for key, value in raw.items():
            if isinstance(value, str) and value[:1] in "[{":
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
            parsed[key] = value
        return parsed

    @staticmethod
    async def _files(request: web.Request) -> dict[str, tuple[str, bytes]]:
        if request.content_type != "multipart/form-data":
            return {}
        form = await request.post()
        return {
            k: (v.filename, v.file.read()) for k, v in form.items() if isinstance(v, web.FileField)
        }

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 1.0)
        async with self._changed:
            if offset:
                self._confirmed = max(self._confirmed, offset - 1)
                self._pending = [u for u in self._pending if u["update_id"] >= offset]
                self._changed.notify_all()
            if not self._pending and timeout:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(self._pending)), timeout
                    )
            return list(self._pending)

    def _message(self, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
        chat_id = params.get("chat_id", 0)
        chat_id = int(chat_id) if str(chat_id).lstrip("-").isdigit() else 0
        message_id = params.get("message_id") or next(self._message_ids)
        return {
            "message_id": int(message_id),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Bot", "username": BOT_USERNAME},
            **extra,
        }

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Обратная связь",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method in {"sendMessage", "editMessageText"}:
            return self._message(params, text=str(params.get("text", "")))
        if method == "sendPhoto":
            return self._message(
                params, photo=[{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
            )
        if method == "sendDocument":
            return self._message(params, document={"file_id": "d", "file_unique_id": "d"})
        if method == "sendMediaGroup":
            media = params.get("media") or []
            return [
                self._message(
                    params,
                    photo=[{"file_id": "p", "file_unique_id": f"p{i}", "width": 1, "height": 1}],
                )
                for i, _ in enumerate(media)
            ]
        if method == "getChatMember":
            user_id = int(params.get("user_id", 0))
            status = self.chat_members.get((int(params.get("chat_id", 0)), user_id), "left")
            member: dict[str, Any] = {"status": status, "user": self.user(user_id)}
            if status == "restricted":
                member.update(is_member=True, until_date=0)
                member.update(dict.fromkeys(RESTRICTED_PERMISSIONS, False))
            elif status == "kicked":
                member.update(until_date=0)
            return member
        return True
