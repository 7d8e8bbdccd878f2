"""The login throttle: wrong passwords lock every try out for a while; the right one works again afterwards."""

from __future__ import annotations

from ui.login import Login


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_right_login_and_wrong_ones() -> None:
    login = Login("gk", "年报2024", clock=Clock())
    assert login("gk", "年报2024")
    assert not login("gk", "wrong") and not login("other", "年报2024") and not login("", "")


def test_a_burst_of_wrong_passwords_locks_out_even_the_right_one_until_the_lockout_ends() -> None:
    clock = Clock()
    login = Login("gk", "年报2024", max_failures=5, window=60, lockout=60, clock=clock)
    results = [login("gk", f"guess{i}") for i in range(30)]
    assert results == [False] * 30
    assert login.locked() and not login("gk", "年报2024")  # the 31st try is the right one: still refused
    clock.now += 61
    assert not login.locked() and login("gk", "年报2024")


def test_failures_spread_out_beyond_the_window_do_not_lock() -> None:
    clock = Clock()
    login = Login("gk", "pw", max_failures=3, window=10, lockout=60, clock=clock)
    for _ in range(6):
        assert not login("gk", "bad")
        clock.now += 6  # two failures at most inside any 10 s
    assert not login.locked() and login("gk", "pw")


def test_api_key_is_the_password_or_user_and_password() -> None:
    login = Login("gk", "pw:with:colons", clock=Clock())
    assert login.bearer("gk:pw:with:colons") and login.bearer("pw:with:colons")
    assert not login.bearer("gk:wrong") and not login.bearer("")


def test_a_chinese_password_is_given_percent_encoded() -> None:
    login = Login("gk", "年报2024", clock=Clock())
    assert login.bearer("%E5%B9%B4%E6%8A%A52024") and login.bearer("gk:%E5%B9%B4%E6%8A%A52024")


def test_one_client_guessing_does_not_lock_out_the_others() -> None:
    from ui.login import CLIENT

    clock = Clock()
    login = Login("gk", "pw", max_failures=5, window=60, lockout=60, clock=clock)
    guesser = CLIENT.set("10.0.0.66")
    assert [login("gk", f"guess{i}") for i in range(10)] == [False] * 10
    assert login.locked() and not login("gk", "pw")
    CLIENT.reset(guesser)
    colleague = CLIENT.set("10.0.0.7")
    assert not login.locked() and login("gk", "pw")
    CLIENT.reset(colleague)


def test_a_flood_of_wrong_passwords_from_many_clients_locks_everyone() -> None:
    from ui.login import CLIENT, EVERYONE

    clock = Clock()
    login = Login("gk", "pw", max_failures=5, window=60, lockout=60, clock=clock)
    for i in range(5 * EVERYONE):
        token = CLIENT.set(f"10.1.{i // 250}.{i % 250}")
        assert not login("gk", "guess")  # each address tries once
        CLIENT.reset(token)
    token = CLIENT.set("10.0.0.7")
    assert login.locked() and not login("gk", "pw")
    clock.now += 61
    assert login("gk", "pw")
    CLIENT.reset(token)
