"""The app's one login, with a throttle: after a few wrong passwords from one client, that client's tries are refused
for a while (others still log in); a flood of wrong passwords from many clients locks every try.

Used by the Gradio login page and by the OpenAI-compatible API alike, so guessing through either is slowed the same.
The client is the caller's address, set for each request by :class:`ClientAddress` (an ASGI middleware).
"""

from __future__ import annotations

import contextvars
import hmac
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

MAX_FAILURES = 5  # wrong tries allowed within WINDOW seconds
WINDOW = 60.0
LOCKOUT = 60.0  # seconds every try is refused once MAX_FAILURES is reached
EVERYONE = 20  # MAX_FAILURES times this from all clients together within WINDOW locks every client
LOCKED_MESSAGE = f"密码错误次数过多，请 {int(LOCKOUT)} 秒后再试。"
#: the address of the client whose request is being handled ("" outside a request)
CLIENT: contextvars.ContextVar[str] = contextvars.ContextVar("govqa_client", default="")


class Login:
    def __init__(self, username: str, password: str, max_failures: int = MAX_FAILURES, window: float = WINDOW,
                 lockout: float = LOCKOUT, clock: Callable[[], float] = time.monotonic):
        self.username, self.password = username, password
        self.max_failures, self.window, self.lockout, self.clock = max_failures, window, lockout, clock
        self._failures: dict[str, list[float]] = {}  # by client ("*": every client's)
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def locked(self) -> bool:
        """Whether the current client (or everyone) is locked out."""
        with self._lock:
            return self._is_locked(self.clock())

    def _is_locked(self, now: float) -> bool:
        return now < max(self._locked_until.get(CLIENT.get(), 0.0), self._locked_until.get("*", 0.0))

    def __call__(self, username: str, password: str) -> bool:
        """True for the right login when not locked out; a wrong one counts towards the client's lockout."""
        with self._lock:
            now = self.clock()
            if self._is_locked(now):
                return False
            right = (hmac.compare_digest(str(username).encode(), self.username.encode())
                     & hmac.compare_digest(str(password).encode(), self.password.encode()))
            if right:
                return True
            for key, limit in ((CLIENT.get(), self.max_failures), ("*", self.max_failures * EVERYONE)):
                recent = [t for t in self._failures.get(key, []) if now - t < self.window] + [now]
                self._failures[key] = recent
                if len(recent) >= limit:
                    self._locked_until[key] = now + self.lockout
                    self._failures[key] = []
            self._forget(now)
            return False

    def _forget(self, now: float) -> None:
        """Clients whose failures and lockout are over (the table never grows with every address seen)."""
        for key in [k for k, times in self._failures.items() if not times or now - times[-1] >= self.window]:
            if self._locked_until.get(key, 0.0) <= now:
                self._failures.pop(key, None)
                self._locked_until.pop(key, None)

    def bearer(self, token: str) -> bool:
        """An API key: the password, or ``username:password``; percent-encoded (HTTP headers carry no Chinese, so a
        password 年报2024 is given as %E5%B9%B4%E6%8A%A52024)."""
        token = unquote(token)
        user, sep, password = token.partition(":")
        return self(user, password) if sep and user == self.username else self(self.username, token)


_LOGIN_PATHS = ("/login", "/v1/")


class ClientAddress:
    """ASGI middleware: each HTTP request runs with :data:`CLIENT` set to the caller's address, so the login
    throttle counts wrong passwords per client."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or not str(scope.get("path", "")).startswith(_LOGIN_PATHS):
            await self.app(scope, receive, send)  # only the login and the API check passwords
            return
        client = scope.get("client")
        token = CLIENT.set(str(client[0]) if client else "")
        try:
            await self.app(scope, receive, send)
        finally:
            CLIENT.reset(token)
