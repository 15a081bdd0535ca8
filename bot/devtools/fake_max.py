"""A fake MAX Bot API server on 127.0.0.1, for tests: the bot's MaxClient talks HTTP to it
(`MAX_API_URL`).

Faithful to the official OpenAPI schema (max-messenger/max-bot-api-client-go, schema.yaml and
stabs/) where the bot relies on it: the token only in the `Authorization` header (401
`verify.token` otherwise, also for a token in the query), `GET /updates` with `marker` (none:
the latest update only), `timeout` and `types`, `bot_started` / `message_created` /
`message_callback` updates,
`POST /messages?user_id=|chat_id=` with NewMessageBody (4000 characters at most, inline
keyboard limits checked), `POST /answers?callback_id=` that edits the pressed message,
`POST /uploads` then the upload URL then the token in an attachment, and
`GET /chats/{chatId}/members?user_ids=`, `PATCH /me` with BotPatch `commands` (at most 32,
`name` 1-64 and `description` 1-128 characters; the bot menu, listed by `GET /me`), and
webhook subscriptions: `POST /subscriptions`
(SubscriptionRequestBody: `url` http(s)://, `secret` of 5-256 characters A-Z a-z 0-9 _ -,
`update_types`), `GET /subscriptions` (the secret is not listed), `DELETE /subscriptions?url=`.
While a subscription exists, `push` POSTs the update to its URL with the secret in the
`X-Max-Bot-Api-Secret` header instead of queueing it for `GET /updates`. Errors are
`{"code", "message"}` with the HTTP status.

Tests inject updates (`push`), inspect what the bot sent (`sent`, `last`, `uploads`) and make
MAX misbehave: errors for the next calls of an endpoint (429, 503, `attachment.not.ready`),
answers lost after the call took effect, broken long polls, calls held unanswered until
released.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import secrets
import ssl
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from bot.devtools.holds import Holds
from bot.devtools.loopback import PUSH_CEILING, serve_on_loopback

TOKEN = "max-test-token"
BOT_ID = 229229229
BOT_USERNAME = "id7700000000_bot"
LONGPOLL_WAIT_CAP = 0.3
"""Seconds a long poll may hang: short, so a stopping bot is not kept waiting."""
TEXT_LIMIT = 4000
SECRET_HEADER = "X-Max-Bot-Api-Secret"
SUBSCRIPTION_SECRET = re.compile(r"[\w-]{5,256}", re.ASCII)
KEYBOARD_ROWS, KEYBOARD_ROW, KEYBOARD_BUTTONS, BUTTON_TEXT, BUTTON_PAYLOAD = 30, 7, 210, 128, 1024
BOT_COMMANDS, COMMAND_NAME, COMMAND_DESCRIPTION = 32, 64, 128
ERROR_CODES = {
    400: "proto.payload",
    401: "verify.token",
    404: "not.found",
    429: "too.many.requests",
    500: "internal.error",
    503: "service.unavailable",
}


@dataclass
class MaxSent:
    """A message the bot sent (its body as it is now: `POST /answers` may have edited it)."""

    mid: str
    recipient: dict[str, int]
    body: dict[str, Any]
    order: int
    edits: int = 0

    @property
    def user_id(self) -> int | None:
        return self.recipient.get("user_id")

    @property
    def chat_id(self) -> int | None:
        return self.recipient.get("chat_id")

    @property
    def text(self) -> str:
        return str(self.body.get("text") or "")

    def _of(self, kind: str) -> list[dict[str, Any]]:
        return [a for a in self.body.get("attachments") or [] if a.get("type") == kind]

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        keyboards = self._of("inline_keyboard")
        return keyboards[0]["payload"]["buttons"] if keyboards else []

    @property
    def labels(self) -> list[str]:
        return [b["text"] for row in self.buttons for b in row]

    def button(self, label: str) -> dict[str, Any]:
        for row in self.buttons:
            for button in row:
                if button["text"] == label:
                    return button
        raise LookupError(f"no button {label!r} in {self.labels}")

    @property
    def images(self) -> list[str]:
        return [a["payload"]["token"] for a in self._of("image")]

    @property
    def files(self) -> list[str]:
        return [a["payload"]["token"] for a in self._of("file")]


@dataclass
class FakeMax:
    token: str = TOKEN
    members: dict[int, set[int]] = field(default_factory=dict)
    """chat id -> user ids in that chat (the employee work chat, the staff chat)."""
    errors: dict[str, list[int | str]] = field(default_factory=dict)
    """"POST /messages" and the like -> what its next calls answer instead of acting: an HTTP
    status, or an error code (`attachment.not.ready` answers 400 with that code)."""
    lost_answers: dict[str, int] = field(default_factory=dict)
    """endpoint -> how many of its next calls take effect but answer HTTP 502."""
    broken_polls: int = 0
    """How many of the next long polls answer HTTP 500 with no JSON."""
    holds: Holds = field(default_factory=Holds)
    """Endpoints ("POST /answers") whose calls wait unanswered until the test releases them."""

    def __post_init__(self) -> None:
        self.messages: list[MaxSent] = []
        self.answers: list[dict[str, Any]] = []
        self.calls: list[str] = []
        self.uploads: dict[str, tuple[str, str, bytes]] = {}
        """token -> (type, file name, bytes) of every upload."""
        self._pending_uploads: dict[str, str] = {}
        self._updates: list[tuple[int, dict[str, Any]]] = []
        self._seq = itertools.count(1)
        self._order = itertools.count(1)
        self._confirmed = 0
        self._callbacks: dict[str, str] = {}
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self.polls = 0
        self.subscriptions: list[dict[str, Any]] = []
        """What `POST /subscriptions` set up: url, secret, update_types, version, time."""
        self.deliveries: list[int] = []
        """The HTTP status the bot's webhook answered to each update pushed to it."""
        self.commands: list[dict[str, Any]] | None = None
        """The bot menu as the last `PATCH /me` set it (None: never set)."""

    async def start(self, ssl_context: ssl.SSLContext | None = None) -> str:
        """Serve on a free loopback port (over HTTPS with `ssl_context`, as MAX does with a
        certificate of its own CA); returns the base URL."""
        app = web.Application(middlewares=[self._authorize])
        app.router.add_get("/me", self._me)
        app.router.add_patch("/me", self._patch_me)
        app.router.add_get("/updates", self._get_updates)
        app.router.add_post("/messages", self._send)
        app.router.add_post("/answers", self._answer)
        app.router.add_post("/uploads", self._upload_url)
        app.router.add_post("/upload/{key}", self._upload)
        app.router.add_get("/chats/{chat_id}/members", self._chat_members)
        app.router.add_post("/subscriptions", self._subscribe)
        app.router.add_get("/subscriptions", self._list_subscriptions)
        app.router.add_delete("/subscriptions", self._unsubscribe)
        self._runner, self.base_url = await serve_on_loopback(app, ssl_context)
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what the bot did -----------------------------------------------------------------
    def sent(self, user_id: int | None = None, *, chat_id: int | None = None) -> list[MaxSent]:
        return [
            m
            for m in self.messages
            if (user_id is None or m.user_id == user_id)
            and (chat_id is None or m.chat_id == chat_id)
        ]

    def last(self, user_id: int | None = None, *, chat_id: int | None = None) -> MaxSent:
        """The message sent or edited most recently in this dialog or chat."""
        found = self.sent(user_id, chat_id=chat_id)
        if not found:
            raise LookupError(f"nothing was sent to MAX user {user_id} / chat {chat_id}")
        return max(found, key=lambda m: m.order)

    def with_button(
        self, label: str, user_id: int | None = None, *, chat_id: int | None = None
    ) -> MaxSent:
        """The newest message carrying a button with this label."""
        found = [m for m in self.sent(user_id, chat_id=chat_id) if label in m.labels]
        if not found:
            raise LookupError(f"no message with the button {label!r} to {user_id or chat_id}")
        return max(found, key=lambda m: m.order)

    # --- updates the bot will receive -----------------------------------------------------
    async def push(self, update: dict[str, Any], *, wait: float = PUSH_CEILING) -> None:
        """Queue an update and return once the bot has handled it (asked for a later marker);
        with a subscription, POST it to the webhook and return once it answered."""
        if self.subscriptions:
            await self._deliver(update, wait)
            return
        async with self._changed:
            seq = next(self._seq)
            self._updates.append((seq, update))
            self._changed.notify_all()
            await asyncio.wait_for(self._changed.wait_for(lambda: self._confirmed >= seq), wait)

    @staticmethod
    def user(user_id: int) -> dict[str, Any]:
        return {
            "user_id": user_id,
            "first_name": f"User{user_id}",
            "last_name": None,
            "username": None,
            "is_bot": False,
            "last_activity_time": 0,
            "name": f"User{user_id}",
        }

    def bot_started(self, user_id: int, payload: str | None = None) -> dict[str, Any]:
        update: dict[str, Any] = {
            "update_type": "bot_started",
            "timestamp": 0,
            "chat_id": user_id + 1_000_000,
            "user": self.user(user_id),
            "user_locale": "ru",
        }
        if payload is not None:
            update["payload"] = payload
        return update

    def message_created(
        self,
        user_id: int,
        text: str | None = "",
        *,
        attachments: list[dict[str, Any]] | None = None,
        chat_id: int | None = None,
        reply_to: MaxSent | None = None,
    ) -> dict[str, Any]:
        """A message from `user_id` in the dialog with the bot, or in a group chat;
        `reply_to`: a message the bot sent, which this one replies to (`link` of type
        `reply`, a LinkedMessage with the replied message's body and its `mid`)."""
        recipient = (
            {"chat_id": chat_id, "chat_type": "chat", "user_id": None}
            if chat_id is not None
            else {"chat_id": user_id + 1_000_000, "chat_type": "dialog", "user_id": BOT_ID}
        )
        message: dict[str, Any] = {
            "sender": self.user(user_id),
            "recipient": recipient,
            "timestamp": 0,
            "body": {
                "mid": f"mid.in{secrets.token_hex(8)}",
                "seq": next(self._order),
                "text": text,
                "attachments": attachments,
            },
        }
        if reply_to is not None:
            message["link"] = {
                "type": "reply",
                "sender": {**self.user(BOT_ID), "is_bot": True, "username": BOT_USERNAME},
                "message": {"mid": reply_to.mid, "seq": 0, **reply_to.body},
            }
        return {
            "update_type": "message_created",
            "timestamp": 0,
            "message": message,
            "user_locale": "ru",
        }

    def image(self) -> dict[str, Any]:
        """A photo as a person's message carries it (PhotoAttachment)."""
        token = secrets.token_urlsafe(12)
        return {
            "type": "image",
            "payload": {"photo_id": next(self._order), "token": token, "url": f"https://i/{token}"},
        }

    def message_callback(self, user_id: int, message: MaxSent, label: str) -> dict[str, Any]:
        """A press of the button `label` of `message`."""
        button = message.button(label)
        if button["type"] != "callback":
            raise ValueError(f"{label!r} is a {button['type']} button, not a callback")
        callback_id = secrets.token_urlsafe(16)
        self._callbacks[callback_id] = message.mid
        recipient = (
            {"chat_id": message.chat_id, "chat_type": "chat", "user_id": None}
            if message.chat_id is not None
            else {"chat_id": user_id + 1_000_000, "chat_type": "dialog", "user_id": user_id}
        )
        return {
            "update_type": "message_callback",
            "timestamp": 0,
            "callback": {
                "timestamp": 0,
                "callback_id": callback_id,
                "payload": button["payload"],
                "user": self.user(user_id),
            },
            "message": {
                "sender": {**self.user(BOT_ID), "is_bot": True, "username": BOT_USERNAME},
                "recipient": recipient,
                "timestamp": 0,
                "body": {"mid": message.mid, "seq": 0, **message.body},
            },
            "user_locale": "ru",
        }

    # --- the HTTP side --------------------------------------------------------------------
    @web.middleware
    async def _authorize(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path.startswith("/upload/"):
            return await handler(request)
        if "access_token" in request.query or request.headers.get("Authorization") != self.token:
            return _error(401, "Invalid access_token")
        key = f"{request.method} {request.path}"
        if key.startswith("GET /chats/"):
            key = "GET /chats/members"
        self.calls.append(key)
        await self.holds.passing(key)
        planned = self.errors.get(key)
        if planned:
            failure = planned.pop(0)
            if isinstance(failure, str):
                return _error(400, "", failure)
            return _error(failure, "injected failure")
        response = await handler(request)
        if self.lost_answers.get(key):
            self.lost_answers[key] -= 1
            return web.Response(status=502, text="Bad Gateway")
        return response

    async def _me(self, request: web.Request) -> web.Response:
        return web.json_response(self._bot_info())

    def _bot_info(self) -> dict[str, Any]:
        return {
            **self.user(BOT_ID),
            "first_name": "Обратная связь",
            "username": BOT_USERNAME,
            "is_bot": True,
            "name": "Обратная связь",
            "commands": self.commands,
        }

    async def _patch_me(self, request: web.Request) -> web.Response:
        body = await request.json()
        commands = body.get("commands")
        if commands is not None:
            if not isinstance(commands, list) or len(commands) > BOT_COMMANDS:
                return _error(400, f"commands: at most {BOT_COMMANDS}")
            for command in commands:
                name, what = command.get("name"), command.get("description")
                if not isinstance(name, str) or not 1 <= len(name) <= COMMAND_NAME:
                    return _error(400, f"command.name: size must be between 1 and {COMMAND_NAME}")
                if what is not None and not 1 <= len(str(what)) <= COMMAND_DESCRIPTION:
                    return _error(400, "command.description: size must be between 1 and 128")
            self.commands = commands
        return web.json_response(self._bot_info())

    async def _get_updates(self, request: web.Request) -> web.Response:
        query = request.query
        # Without a marker MAX hands over its latest update only (dev.max.ru, GET /updates).
        newest = max((n for n, _ in self._updates), default=0)
        marker = int(query["marker"]) if query.get("marker") else max(newest, 1)
        wait = min(float(query.get("timeout") or 0), LONGPOLL_WAIT_CAP)
        types = set(query["types"].split(",")) if query.get("types") else None
        if self.broken_polls:
            self.broken_polls -= 1
            return web.Response(status=500, text="Internal Server Error")
        async with self._changed:
            self.polls += 1
            # Everything before the marker is committed: those updates were handled.
            self._confirmed = max(self._confirmed, marker - 1)
            self._changed.notify_all()
            if not any(n >= marker for n, _ in self._updates) and wait:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: any(n >= marker for n, _ in self._updates)),
                        wait,
                    )
            fresh = [(n, u) for n, u in self._updates if n >= marker]
            next_marker = max((n for n, _ in fresh), default=marker - 1) + 1
            updates = [u for _, u in fresh if types is None or u["update_type"] in types]
            if not fresh:
                next_marker = marker
            return web.json_response({"updates": updates, "marker": next_marker})

    async def _send(self, request: web.Request) -> web.Response:
        recipient = {k: int(request.query[k]) for k in ("user_id", "chat_id") if k in request.query}
        if len(recipient) != 1:
            return _error(400, "user_id or chat_id must be set")
        body = await request.json()
        problem = self._invalid(body)
        if problem:
            return _error(400, problem)
        mid = f"mid.{secrets.token_hex(8)}"
        self.messages.append(MaxSent(mid, recipient, body, next(self._order)))
        return web.json_response(
            {
                "message": {
                    "sender": {**self.user(BOT_ID), "is_bot": True, "username": BOT_USERNAME},
                    "recipient": {
                        "chat_type": "dialog" if "user_id" in recipient else "chat",
                        **recipient,
                    },
                    "timestamp": 0,
                    "body": {
                        "mid": mid,
                        "seq": 0,
                        "text": body.get("text"),
                        "attachments": body.get("attachments"),
                    },
                }
            }
        )

    def _invalid(self, body: dict[str, Any]) -> str | None:
        """What MAX would refuse in a NewMessageBody, or None."""
        text = body.get("text") or ""
        if len(text) > TEXT_LIMIT:
            return f"text: size must be between 0 and {TEXT_LIMIT}"
        if body.get("format") not in (None, "html", "markdown"):
            return f"format: unknown {body.get('format')!r}"
        for item in body.get("attachments") or []:
            if item.get("type") == "inline_keyboard":
                rows = item["payload"]["buttons"]
                if len(rows) > KEYBOARD_ROWS or sum(map(len, rows)) > KEYBOARD_BUTTONS:
                    return "keyboard: too many buttons"
                for row in rows:
                    if not row or len(row) > KEYBOARD_ROW:
                        return "keyboard: bad row size"
                    for button in row:
                        if not 1 <= len(button.get("text") or "") <= BUTTON_TEXT:
                            return "button.text: size must be between 1 and 128"
                        if button["type"] == "callback" and len(button["payload"]) > BUTTON_PAYLOAD:
                            return "button.payload: too long"
                        if button["type"] == "link" and not button.get("url"):
                            return "button.url: required"
            elif item.get("type") in {"image", "file"} and (
                item["payload"].get("token") not in self.uploads
            ):
                return "attachment: unknown token"
        return None

    async def _answer(self, request: web.Request) -> web.Response:
        callback_id = request.query.get("callback_id", "")
        if not callback_id.strip():
            return _error(400, "callback_id is required")
        body = await request.json()
        self.answers.append({"callback_id": callback_id, **body})
        if body.get("message") is not None:
            problem = self._invalid(body["message"])
            if problem:
                return _error(400, problem)
            mid = self._callbacks.get(callback_id)
            for message in self.messages:
                if message.mid == mid:
                    message.body = body["message"]
                    message.order = next(self._order)
                    message.edits += 1
        return web.json_response({"success": True})

    async def _upload_url(self, request: web.Request) -> web.Response:
        kind = request.query.get("type")
        if kind not in {"image", "video", "audio", "file"}:
            return _error(400, f"type: unknown {kind!r}")
        key = secrets.token_hex(8)
        self._pending_uploads[key] = kind
        return web.json_response({"url": f"{self.base_url}/upload/{key}"})

    async def _upload(self, request: web.Request) -> web.Response:
        kind = self._pending_uploads.pop(request.match_info["key"], None)
        if kind is None:
            return _error(404, "upload url used or unknown")
        form = await request.post()
        data = form.get("data")
        if not isinstance(data, web.FileField):
            return _error(400, "multipart field 'data' with a file is required")
        token = secrets.token_urlsafe(24)
        self.uploads[token] = (kind, data.filename, data.file.read())
        if kind == "image":
            return web.json_response({"photos": {secrets.token_hex(6): {"token": token}}})
        return web.json_response({"fileId": len(self.uploads), "token": token})

    async def _chat_members(self, request: web.Request) -> web.Response:
        chat_id = int(request.match_info["chat_id"])
        if chat_id not in self.members:
            return _error(404, "chat not found")
        wanted = {int(u) for u in request.query.get("user_ids", "").split(",") if u}
        present = [u for u in sorted(self.members[chat_id]) if not wanted or u in wanted]
        return web.json_response(
            {
                "members": [
                    {
                        **self.user(u),
                        "is_owner": False,
                        "is_admin": False,
                        "join_time": 0,
                        "last_access_time": 0,
                        "permissions": None,
                        "alias": None,
                    }
                    for u in present
                ],
                "marker": None,
            }
        )

    async def _subscribe(self, request: web.Request) -> web.Response:
        body = await request.json()
        url, secret = body.get("url"), body.get("secret")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            return _error(400, "url: must start with http(s)://")
        if secret is not None and not SUBSCRIPTION_SECRET.fullmatch(str(secret)):
            return _error(400, "secret: 5-256 characters A-Z, a-z, 0-9, _ and -")
        types = body.get("update_types")
        if types is not None and not (
            isinstance(types, list) and all(isinstance(t, str) and t for t in types)
        ):
            return _error(400, "update_types: a list of update types")
        self.subscriptions = [s for s in self.subscriptions if s["url"] != url]
        self.subscriptions.append(
            {
                "url": url,
                "secret": secret,
                "update_types": types,
                "version": body.get("version"),
                "time": int(time.time() * 1000),
            }
        )
        return web.json_response({"success": True})

    async def _list_subscriptions(self, request: web.Request) -> web.Response:
        listed = [{k: v for k, v in s.items() if k != "secret"} for s in self.subscriptions]
        return web.json_response({"subscriptions": listed})

    async def _unsubscribe(self, request: web.Request) -> web.Response:
        url = request.query.get("url")
        if not url:
            return _error(400, "url is required")
        self.subscriptions = [s for s in self.subscriptions if s["url"] != url]
        return web.json_response({"success": True})

    async def _deliver(self, update: dict[str, Any], wait: float) -> None:
        """One webhook request per subscription that wants this update type."""
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=wait)) as http:
            for sub in self.subscriptions:
                if sub["update_types"] and update["update_type"] not in sub["update_types"]:
                    continue
                headers = {SECRET_HEADER: sub["secret"]} if sub["secret"] else {}
                async with http.post(sub["url"], json=update, headers=headers) as response:
                    self.deliveries.append(response.status)


def _error(status: int, message: str, code: str | None = None) -> web.Response:
    return web.json_response(
        {"code": code or ERROR_CODES.get(status, "error"), "message": message}, status=status
    )
