"""A fake VK API server on 127.0.0.1, for tests: the bot's vk-api talks HTTP to it (`VK_API_URL`).

It serves the Bots Long Poll endpoint from a queue the caller fills (an update counts as handled
once the bot asks for the next `ts`), records every method call, deduplicates `messages.send` by
`random_id` and `wall.post` by `guid` as VK does, and can be told to misbehave: API errors (6
"too many requests") for the next calls of a method, answers lost after the call took effect,
calls held unanswered until released, long-poll `failed` codes and broken long-poll answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.devtools.holds import Holds
from bot.devtools.loopback import PUSH_CEILING, serve_on_loopback

GROUP_ID = 77000001
SCREEN_NAME = "feedback_test_community"
LONGPOLL_WAIT_CAP = 0.3
"""Seconds a long-poll request may hang: short, so a stopping bot is not kept waiting."""
GROUP_TOKEN = "vk-test-token"
USER_TOKEN = "vk-test-user-token"
"""The community's and the wall's access keys; VK answers any other with error 5."""
ERROR_MESSAGES = {
    5: "User authorization failed: invalid access_token (4).",
    6: "Too many requests per second",
    10: "Internal server error",
}


class _VkError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class VkCall:
    method: str
    params: dict[str, Any]
    result: Any = None

    @property
    def peer_id(self) -> int | None:
        value = self.params.get("peer_id") or self.params.get("peer_ids")
        return int(value) if value is not None else None

    @property
    def attachment(self) -> str:
        return str(self.params.get("attachment") or "")

    @property
    def text(self) -> str:
        return str(self.params.get("message") or "")

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        raw = self.params.get("keyboard")
        return json.loads(raw)["buttons"] if raw else []

    @property
    def labels(self) -> list[str]:
        return [b["action"]["label"] for row in self.buttons for b in row]

    @property
    def inline(self) -> bool:
        """An inline keyboard under the message; False for the keyboard under the input field
        (the role menu), or none."""
        raw = self.params.get("keyboard")
        return bool(raw) and bool(json.loads(raw).get("inline"))

    def payload(self, label: str) -> dict[str, Any]:
        for row in self.buttons:
            for button in row:
                if button["action"]["label"] == label:
                    return json.loads(button["action"]["payload"])
        raise LookupError(f"no button {label!r} in {self.labels}")


@dataclass
class FakeVk:
    group_id: int = GROUP_ID
    calls: list[VkCall] = field(default_factory=list)
    errors: dict[str, list[int]] = field(default_factory=dict)
    """method -> VK error codes its next calls answer with (the call has no effect)."""
    lost_answers: dict[str, int] = field(default_factory=dict)
    """method -> how many of its next calls take effect but answer HTTP 502 (a lost answer)."""
    longpoll_failures: list[int] = field(default_factory=list)
    """`failed` codes the next long-poll requests answer with."""
    broken_longpolls: int = 0
    """How many of the next long-poll requests answer HTTP 500 with no JSON."""
    conversation_members: dict[int, set[int]] = field(default_factory=dict)
    """peer id of a community conversation -> user ids in it (messages.getConversationMembers)."""
    uploads: list[tuple[str, str, bytes]] = field(default_factory=list)
    """(kind "photo"/"doc", file name, bytes) of every file uploaded to an upload server."""
    holds: Holds = field(default_factory=Holds)
    """Methods whose calls wait unanswered until the test releases them (a VK that hangs)."""
    tokens: frozenset[str] = frozenset({GROUP_TOKEN, USER_TOKEN})

    def __post_init__(self) -> None:
        self._events: list[tuple[int, dict[str, Any]]] = []
        self._last_ts = 0
        self._confirmed = 0
        self._key = ""
        self._changed = asyncio.Condition()
        self._message_ids = itertools.count(1)
        self._sent_by_random_id: dict[tuple[int, int], int] = {}
        self._posts_by_guid: dict[str, int] = {}
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self.longpoll_servers_given = 0

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/method/{method}", self._method)
        app.router.add_get("/lp", self._longpoll)
        app.router.add_post("/upload/{kind}", self._upload)
        self._runner, self.base_url = await serve_on_loopback(app)
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what the bot did -----------------------------------------------------------------
    def sent(self, peer_id: int | None = None) -> list[VkCall]:
        """Messages that reached the user (one per random_id: VK's deduplication applied)."""
        return [
            c
            for c in self.calls
            if c.method == "messages.send" and (peer_id is None or c.peer_id == peer_id)
        ]

    def last(self, peer_id: int) -> VkCall:
        sent = self.sent(peer_id)
        if not sent:
            raise LookupError(f"nothing was sent to VK user {peer_id}")
        return sent[-1]

    def of(self, method: str) -> list[VkCall]:
        return [c for c in self.calls if c.method == method]

    # --- events the bot will receive ------------------------------------------------------
    async def push(self, event: dict[str, Any], *, wait: float = PUSH_CEILING) -> None:
        """Queue an event and return once the bot has handled it (asked for a later ts)."""
        async with self._changed:
            self._last_ts += 1
            ts = self._last_ts
            self._events.append((ts, {"group_id": self.group_id, "v": "5.199", **event}))
            self._changed.notify_all()
            await asyncio.wait_for(self._changed.wait_for(lambda: self._confirmed >= ts), wait)

    def message_new(
        self,
        user_id: int,
        text: str = "",
        *,
        ref: str | None = None,
        payload: str | None = None,
        attachments: list[dict[str, Any]] | None = None,
        peer_id: int | None = None,
        reply_to: VkCall | None = None,
    ) -> dict[str, Any]:
        """`reply_to`: a message the bot sent into a conversation, which this one replies to
        (VK then carries it as `reply_message` with its `conversation_message_id`)."""
        message: dict[str, Any] = {
            "id": next(self._message_ids),
            "date": 0,
            "peer_id": peer_id if peer_id is not None else user_id,
            "from_id": user_id,
            "text": text,
            "attachments": attachments or [],
            "conversation_message_id": next(self._message_ids),
        }
        if ref is not None:
            message.update(ref=ref, ref_source="link")
        if payload is not None:
            message["payload"] = payload
        if reply_to is not None:
            message["reply_message"] = {
                "date": 0,
                "from_id": -self.group_id,
                "text": reply_to.text,
                "peer_id": reply_to.peer_id,
                "id": 0,
                "conversation_message_id": self.conversation_message_id(reply_to),
            }
        return {
            "type": "message_new",
            "event_id": secrets.token_hex(8),
            "object": {
                "message": message,
                "client_info": {"keyboard": True, "inline_keyboard": True},
            },
        }

    def conversation_message_id(self, call: VkCall) -> int:
        """What VK numbers a message by inside its conversation (as `peer_ids` answers)."""
        result = call.result
        if isinstance(result, list):
            return int(result[0]["conversation_message_id"])
        return int(result)

    def message_event(
        self, user_id: int, payload: dict[str, Any], peer_id: int | None = None
    ) -> dict[str, Any]:
        return {
            "type": "message_event",
            "event_id": secrets.token_hex(8),
            "object": {
                "user_id": user_id,
                "peer_id": peer_id if peer_id is not None else user_id,
                "event_id": secrets.token_hex(10),
                "payload": payload,
                "conversation_message_id": next(self._message_ids),
            },
        }

    # --- the HTTP side --------------------------------------------------------------------
    async def _method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = {k: v for k, v in (await request.post()).items() if isinstance(v, str)}
        if params.pop("access_token", None) not in self.tokens:
            self.calls.append(VkCall(f"{method}:error5", params))
            return web.json_response({"error": {"error_code": 5, "error_msg": ERROR_MESSAGES[5]}})
        await self.holds.passing(method)
        errors = self.errors.get(method)
        if errors:
            code = errors.pop(0)
            self.calls.append(VkCall(f"{method}:error{code}", params))
            return web.json_response(
                {"error": {"error_code": code, "error_msg": ERROR_MESSAGES.get(code, "Error")}}
            )
        try:
            result = self._result(method, params)
        except _VkError as exc:
            return web.json_response({"error": {"error_code": exc.code, "error_msg": exc.message}})
        if self.lost_answers.get(method):
            self.lost_answers[method] -= 1
            return web.Response(status=502, text="Bad Gateway")
        return web.json_response({"response": result})

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "groups.getLongPollServer":
            self.longpoll_servers_given += 1
            self._key = secrets.token_hex(8)
            result: Any = {
                "key": self._key,
                "server": f"{self.base_url}/lp",
                "ts": str(self._last_ts),
            }
        elif method == "groups.getById":
            result = {
                "groups": [
                    {"id": self.group_id, "name": "Обратная связь", "screen_name": SCREEN_NAME}
                ],
                "profiles": [],
            }
        elif method == "messages.send":
            peer = int(params.get("peer_id") or params["peer_ids"])
            dedupe = (peer, int(params["random_id"]))
            if dedupe in self._sent_by_random_id:
                result = self._sent_by_random_id[dedupe]
                self.calls.append(VkCall("messages.send:duplicate", params, result))
                return result
            result = next(self._message_ids)
            if "peer_ids" in params:  # VK answers a list, with the conversation's own number
                result = [{"peer_id": peer, "message_id": 0, "conversation_message_id": result}]
            self._sent_by_random_id[dedupe] = result
        elif method == "messages.getConversationMembers":
            members = sorted(self.conversation_members.get(int(params["peer_id"]), set()))
            if not members and int(params["peer_id"]) not in self.conversation_members:
                self.calls.append(VkCall(f"{method}:error917", params))
                raise _VkError(917, "You don't have access to this chat")
            result = {
                "count": len(members),
                "items": [
                    {"member_id": m, "invited_by": m, "join_date": 0, "is_admin": False}
                    for m in members
                ],
                "profiles": [{"id": m, "first_name": "", "last_name": ""} for m in members],
                "groups": [],
            }
        elif method == "photos.getMessagesUploadServer":
            result = {
                "upload_url": f"{self.base_url}/upload/photo",
                "album_id": -3,
                "group_id": self.group_id,
            }
        elif method == "photos.saveMessagesPhoto":
            upload = json.loads(params["photo"])
            result = [
                {
                    "id": upload["id"],
                    "owner_id": -self.group_id,
                    "album_id": -3,
                    "access_key": "k" + str(upload["id"]),
                    "sizes": [],
                }
            ]
        elif method == "docs.getMessagesUploadServer":
            result = {"upload_url": f"{self.base_url}/upload/doc"}
        elif method == "docs.save":
            upload = json.loads(params["file"])
            result = {
                "type": "doc",
                "doc": {
                    "id": upload["id"],
                    "owner_id": -self.group_id,
                    "title": params.get("title", upload["name"]),
                    "size": upload["size"],
                    "ext": upload["name"].rsplit(".", 1)[-1],
                    "url": f"{self.base_url}/doc/{upload['id']}",
                },
            }
        elif method == "wall.post":
            guid = params.get("guid")
            if guid and guid in self._posts_by_guid:
                return {"post_id": self._posts_by_guid[guid]}
            result = {"post_id": next(self._message_ids)}
            if guid:
                self._posts_by_guid[guid] = result["post_id"]
        else:  # messages.edit, messages.sendMessageEventAnswer
            result = 1
        self.calls.append(VkCall(method, params, result))
        return result

    async def _upload(self, request: web.Request) -> web.Response:
        """An upload server: `photo` (photos) or `file` (docs) as multipart form data."""
        kind = request.match_info["kind"]
        form = await request.post()
        field = form.get("photo" if kind == "photo" else "file")
        if field is None or isinstance(field, str):
            return web.json_response({"error": "no file"})
        data = field.file.read()
        self.uploads.append((kind, field.filename, data))
        upload = {"id": next(self._message_ids), "name": field.filename, "size": len(data)}
        if kind == "photo":
            return web.json_response({"server": 1, "photo": json.dumps(upload), "hash": "h"})
        return web.json_response({"file": json.dumps(upload)})

    async def _longpoll(self, request: web.Request) -> web.Response:
        query = request.query
        ts = int(query.get("ts") or 0)
        wait = min(float(query.get("wait") or 0), LONGPOLL_WAIT_CAP)
        if self.broken_longpolls:
            self.broken_longpolls -= 1
            return web.Response(status=500, text="Internal Server Error")
        async with self._changed:
            if query.get("key") != self._key:
                return web.json_response({"failed": 2})
            if self.longpoll_failures:
                failed = self.longpoll_failures.pop(0)
                if failed in (2, 3):
                    self._key = ""  # the key is dead: the bot must ask for a new one
                return web.json_response({"failed": failed, "ts": str(self._last_ts)})
            self._confirmed = max(self._confirmed, ts)
            self._changed.notify_all()
            if not any(n > ts for n, _ in self._events) and wait:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: any(n > ts for n, _ in self._events)), wait
                    )
            updates = [event for n, event in self._events if n > ts]
            return web.json_response({"ts": str(self._last_ts), "updates": updates})
