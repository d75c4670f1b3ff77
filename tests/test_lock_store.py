"""Two replicas, one worker, the same instant: Rasa's stock RedisLockStore lets both turns run at once;
bot.lock_store.AtomicRedisLockStore never does. Against the real Redis on 127.0.0.1:6379 (database 15;
`.ci/run` starts Redis when it is down).

A "replica" here is a lock store with its own Redis connection, as each Rasa process has; a "turn" is a
critical section that records when it starts and ends."""

from __future__ import annotations

import asyncio
import os
import threading
import time
import uuid

import pytest

redis = pytest.importorskip("redis")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_or_fail():
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("YSLY_CI") == "1":  # CI: .ci/run started it
            raise
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
    return client


@pytest.fixture
def prefix():
    client = _redis_or_fail()
    name = f"test{uuid.uuid4().hex[:8]}:"
    yield name
    for key in client.scan_iter(f"*{name.rstrip(':')}*"):
        client.delete(key)


def atomic(prefix: str, **kwargs):
    import redis.asyncio

    from bot.lock_store import AtomicRedisLockStore

    return AtomicRedisLockStore(client=redis.asyncio.Redis.from_url(REDIS_URL), key_prefix=prefix, **kwargs)


class Turns:
    """Start and end of every turn; overlapping ones are the bug."""

    def __init__(self) -> None:
        self.spans: list[tuple[str, float, float]] = []
        self.lock = threading.Lock()

    def add(self, name: str, start: float, end: float) -> None:
        with self.lock:
            self.spans.append((name, start, end))

    def overlaps(self) -> list[tuple[str, str]]:
        spans = sorted(self.spans, key=lambda s: s[1])
        return [(a[0], b[0]) for a, b in zip(spans, spans[1:], strict=False) if b[1] < a[2]]


def two_replicas(worker) -> None:
    """Run worker("replica-1") and worker("replica-2") at once, each in its own thread (its own event loop
    and Redis connection, as two Rasa processes have)."""
    threads = [threading.Thread(target=worker, args=(f"replica-{i}",)) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)


def test_the_stock_redis_lock_store_lets_two_replicas_serve_one_worker_at_once(prefix):
    """Rasa's issue_ticket is GET, change, SET: two replicas that both GET before either SETs issue the same
    ticket and both are 'now serving'. The schedule is forced with a barrier between the GET and the SET."""
    from rasa.core.lock_store import RedisLockStore

    barrier = threading.Barrier(2, timeout=10)
    turns = Turns()

    class Replica(RedisLockStore):
        def get_or_create_lock(self, conversation_id):
            lock = super().get_or_create_lock(conversation_id)
            barrier.wait()  # both have read the lock; neither has written it
            return lock

    def worker(name: str) -> None:
        store = Replica(host="127.0.0.1", port=6379, db=15, key_prefix=prefix.rstrip(":"))

        async def turn():
            async with store.lock("worker-1", wait_time_in_seconds=0.01):
                start = time.monotonic()
                await asyncio.sleep(0.3)
                turns.add(name, start, time.monotonic())

        asyncio.run(turn())

    two_replicas(worker)
    assert len(turns.spans) == 2
    assert turns.overlaps(), "the stock lock store serialised the two turns under the racing schedule"


def test_two_replicas_with_the_atomic_store_serve_one_worker_one_turn_at_a_time_in_order(prefix):
    """20 messages for one worker arrive at two replicas within a millisecond: one turn at a time, in the
    order their tickets were issued, each ticket (fencing number) larger than the last."""
    turns = Turns()
    order: list[int] = []

    async def main():
        replicas = [atomic(prefix), atomic(prefix)]

        async def message(i: int):
            store = replicas[i % 2]
            async with store.lock("worker-1") as held:
                start = time.monotonic()
                order.append(held.fencing_ticket)
                await asyncio.sleep(0.01)
                turns.add(f"message-{i}", start, time.monotonic())

        await asyncio.gather(*(message(i) for i in range(20)))

    asyncio.run(main())
    assert len(turns.spans) == 20
    assert turns.overlaps() == []
    assert order == sorted(order) and len(set(order)) == 20


def test_the_atomic_store_survives_the_racing_schedule_from_two_threads(prefix):
    """The same two-thread schedule that breaks the stock store (each thread its own event loop and
    connection): never at once."""
    turns = Turns()
    start_together = threading.Barrier(2, timeout=10)

    def worker(name: str) -> None:
        async def turn():
            store = atomic(prefix)
            start_together.wait()
            async with store.lock("worker-1"):
                start = time.monotonic()
                await asyncio.sleep(0.3)
                turns.add(name, start, time.monotonic())

        asyncio.run(turn())

    two_replicas(worker)
    assert len(turns.spans) == 2 and turns.overlaps() == []


def test_a_turn_longer_than_the_lifetime_keeps_its_lock(prefix):
    """An action call may take 300 s while a ticket lives 60 s: the holder renews its ticket, so the next
    message waits (here: lifetime 0.3 s, a turn of 1 s)."""
    turns = Turns()

    async def main():
        store = atomic(prefix, lifetime=0.3)

        async def message(name: str, seconds: float):
            async with store.lock("worker-2", lock_lifetime=0.3):
                start = time.monotonic()
                await asyncio.sleep(seconds)
                turns.add(name, start, time.monotonic())

        first = asyncio.ensure_future(message("long", 1.0))
        await asyncio.sleep(0.05)
        await asyncio.gather(first, message("next", 0.01))

    asyncio.run(main())
    assert turns.overlaps() == []


def test_a_crashed_replicas_ticket_expires_and_the_worker_is_served(prefix):
    """A replica killed while it holds the turn never releases it; its ticket stops being renewed and
    expires after the lifetime, and the next message goes ahead."""

    async def main():
        store = atomic(prefix, lifetime=0.5)
        crashed = await store.issue("worker-3", 0.5)  # issued, never renewed, never released
        assert await store.is_turn("worker-3", crashed) == 1
        started = time.monotonic()
        async with store.lock("worker-3", lock_lifetime=0.5) as held:
            waited = time.monotonic() - started
            assert held.fencing_ticket > crashed
        return waited

    waited = asyncio.run(main())
    assert 0.3 < waited < 3.0


def test_the_queue_key_goes_when_the_last_turn_ends(prefix):
    client = _redis_or_fail()

    async def main():
        store = atomic(prefix)
        async with store.lock("worker-4"):
            assert client.exists(f"{prefix}worker-4:queue")

    asyncio.run(main())
    assert not client.exists(f"{prefix}worker-4:queue")
    assert client.exists(f"{prefix}worker-4:counter")  # numbers keep rising for the next turn


def test_redis_away_is_a_lock_error_that_names_the_conversation():
    from rasa.core.lock_store import LockError

    from bot.lock_store import AtomicRedisLockStore

    async def main():
        import redis.asyncio

        store = AtomicRedisLockStore(client=redis.asyncio.Redis.from_url("redis://127.0.0.1:1/0", socket_timeout=1))
        async with store.lock("worker-5"):
            pass

    with pytest.raises(LockError, match="worker-5"):
        asyncio.run(main())


def test_endpoints_configure_it_by_module_path(monkeypatch):
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import EndpointConfig

    from bot.lock_store import AtomicRedisLockStore

    store = LockStore.create(EndpointConfig(url="redis://127.0.0.1:6379/3", type="bot.lock_store.AtomicRedisLockStore",
                                            lifetime=400))
    assert isinstance(store, AtomicRedisLockStore)
    assert store.url == "redis://127.0.0.1:6379/3" and store.lifetime == 400
    assert "6379" not in repr(store)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/4")
    assert AtomicRedisLockStore().url == "redis://127.0.0.1:6379/4"
