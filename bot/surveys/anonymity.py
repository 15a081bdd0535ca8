"""Keys that let the bot recognise a person without the database being able to.

Two things need a person's id while a survey window is open: "has this person already taken
part?" and "where is this person in their unfinished survey?". Both are keyed with a server
secret that is not stored in the database (`ANON_SECRET`, or a file beside it), so a copy of the
database alone tells neither. Participation marks also mix in the window's random salt, which is
erased with the marks when the window closes: after that nobody, with or without the secret, can
test whether someone took part. Drafts are encrypted (AES-GCM) and deleted on submission.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.core.ports import Person

SECRET_BYTES = 32
MIN_SECRET_BYTES = 16
"""A shorter secret could be guessed, and with it every participation mark recomputed."""


class Anonymizer:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise ValueError("anonymity secret is too short")
        self._mac_key = hmac.digest(secret, b"mac", hashlib.sha256)
        self._aead = AESGCM(hmac.digest(secret, b"draft-encryption", hashlib.sha256))

    def participation_token(self, window_salt: bytes, person: Person) -> str:
        return hmac.new(
            self._mac_key, window_salt + person.key.encode(), hashlib.sha256
        ).hexdigest()

    def draft_key(self, person: Person) -> str:
        return hmac.new(self._mac_key, b"draft:" + person.key.encode(), hashlib.sha256).hexdigest()

    def invite_hash(self, code: str) -> str:
        """Keyed, so a copy of the database cannot be brute-forced back into usable codes."""
        return hmac.new(self._mac_key, b"invite:" + code.encode(), hashlib.sha256).hexdigest()

    def seal(self, draft_key: str, data: dict) -> bytes:
        nonce = os.urandom(12)
        plain = json.dumps(data, ensure_ascii=False).encode()
        return nonce + self._aead.encrypt(nonce, plain, draft_key.encode())

    def unseal(self, draft_key: str, blob: bytes) -> dict | None:
        """None when the blob was sealed with another secret (the secret was changed)."""
        try:
            plain = self._aead.decrypt(blob[:12], blob[12:], draft_key.encode())
        except InvalidTag:
            return None
        return json.loads(plain)


def new_window_salt() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def load_or_create_secret(configured: str | None, path: Path) -> bytes:
    """The configured secret, else one kept in `path`, created on first start with mode 0600.
    ValueError: the file holds no usable secret; OSError: it cannot be read or created."""
    if configured:
        return configured.encode()
    if path.exists():
        secret = bytes.fromhex(path.read_text().strip())  # ValueError: not hex
        if len(secret) < MIN_SECRET_BYTES:
            raise ValueError(f"{path}: the secret is shorter than {MIN_SECRET_BYTES} bytes")
        return secret
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(SECRET_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secret.hex())
    return secret
