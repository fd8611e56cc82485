"""labkit.aids.spying, appended for lab03: it counts calls, tells where each ran, and restores."""

from __future__ import annotations

import asyncio
import threading

import pytest

from labkit.aids import spying


class Hasher:
    calls = 0

    def verify(self, password: str) -> bool:
        Hasher.calls += 1
        return password == "right"

    @staticmethod
    def static(value: int) -> int:
        return value + 1

    @classmethod
    def made(cls, value: int) -> str:
        return f"{cls.__name__}:{value}"

    async def slow(self, value: int) -> int:
        return value * 2


def test_it_counts_calls_and_still_runs_them():
    hasher = Hasher()
    with spying(Hasher, "verify") as calls:
        assert hasher.verify("right") is True
        assert hasher.verify("wrong") is False
    assert [call.args[1:] for call in calls] == [("right",), ("wrong",)]
    assert [call.result for call in calls] == [True, False]
    assert calls[0].args[0] is hasher  # a method patched on its class still receives self
    assert Hasher.calls == 2
    assert "verify" not in Hasher.__dict__ or Hasher.__dict__["verify"].__name__ == "verify"
    assert Hasher().verify("right") is True  # restored


def test_static_class_and_coroutine_methods_keep_working():
    with spying(Hasher, "static") as static_calls, spying(Hasher, "made") as made_calls:
        assert Hasher.static(1) == 2 and Hasher().static(2) == 3
        assert Hasher.made(4) == "Hasher:4"
    with spying(Hasher, "slow") as slow_calls:
        assert asyncio.run(Hasher().slow(3)) == 6
    assert len(static_calls) == 2 and len(made_calls) == 1 and len(slow_calls) == 1
    assert slow_calls[0].result == 6 and made_calls[0].result == "Hasher:4"
    assert Hasher.static(1) == 2 and Hasher.made(1) == "Hasher:1"  # restored as staticmethod / classmethod
    assert isinstance(Hasher.__dict__["static"], staticmethod) and isinstance(Hasher.__dict__["made"], classmethod)


def test_it_tells_a_call_on_the_event_loop_from_one_in_a_worker_thread():
    hasher = Hasher()

    async def blocking_and_offloaded() -> None:
        hasher.verify("on the loop")  # blocks the loop
        await asyncio.to_thread(hasher.verify, "in a thread")

    with spying(Hasher, "verify") as calls:
        asyncio.run(blocking_and_offloaded())
        hasher.verify("no loop at all")
    assert [call.on_event_loop for call in calls] == [True, False, False]
    assert calls[1].thread != threading.current_thread().name


def test_a_broken_use_fails_and_the_original_comes_back():
    with pytest.raises(AttributeError), spying(Hasher, "no_such_method"):
        pass
    with pytest.raises(ZeroDivisionError), spying(Hasher, "verify") as calls:
        Hasher().verify("right")
        raise ZeroDivisionError
    assert len(calls) == 1 and calls[0].result is True
    assert Hasher.__dict__["verify"].__qualname__ == "Hasher.verify"  # restored after the error


def test_a_call_that_raises_is_still_counted():
    def boom(value: int) -> int:
        raise ValueError(value)

    class Owner:
        pass

    Owner.boom = staticmethod(boom)
    with spying(Owner, "boom") as calls, pytest.raises(ValueError):
        Owner.boom(3)
    assert len(calls) == 1 and calls[0].args == (3,) and calls[0].result is None
