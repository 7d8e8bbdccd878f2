"""The app's one login, with a throttle: after a few wrong passwords every try is refused for a while.

Used by the Gradio login page and by the OpenAI-compatible API alike, so guessing through either is slowed the same.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable
from urllib.parse import unquote

MAX_FAILURES = 5  # wrong tries allowed within WINDOW seconds
WINDOW = 60.0
LOCKOUT = 60.0  # seconds every try is refused once MAX_FAILURES is reached
LOCKED_MESSAGE = f"密码错误次数过多，请 {int(LOCKOUT)} 秒后再试。"


class Login:
    def __init__(self, username: str, password: str, max_failures: int = MAX_FAILURES, window: float = WINDOW,
                 lockout: float = LOCKOUT, clock: Callable[[], float] = time.monotonic):
        self.username, self.password = username, password
        self.max_failures, self.window, self.lockout, self.clock = max_failures, window, lockout, clock
        self._failures: list[float] = []
        self._locked_until = 0.0
        self._lock = threading.Lock()

    def locked(self) -> bool:
        with self._lock:
            return self.clock() < self._locked_until

    def __call__(self, username: str, password: str) -> bool:
        """True for the right login when not locked out; a wrong one counts towards the lockout."""
        with self._lock:
            now = self.clock()
            if now < self._locked_until:
                return False
            right = (hmac.compare_digest(str(username).encode(), self.username.encode())
                     & hmac.compare_digest(str(password).encode(), self.password.encode()))
            if right:
                return True
            self._failures = [t for t in self._failures if now - t < self.window] + [now]
            if len(self._failures) >= self.max_failures:
                self._locked_until = now + self.lockout
                self._failures = []
            return False

    def bearer(self, token: str) -> bool:
        """An API key: the password, or ``username:password``; percent-encoded (HTTP headers carry no Chinese, so a
        password 年报2024 is given as %E5%B9%B4%E6%8A%A52024)."""
        token = unquote(token)
        user, sep, password = token.partition(":")
        return self(user, password) if sep and user == self.username else self(self.username, token)
