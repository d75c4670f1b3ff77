"""A ticket lock on Redis whose every step is one atomic Redis script, for several Rasa replicas.

Rasa's ``RedisLockStore`` issues a ticket with a GET of the whole lock, a change in Python and a SET: two
replicas that take a message for one worker at the same instant read the same lock, both append ticket N,
and both are then "now serving" — their turns interleave (the atomic fix was reverted from open source,
RasaHQ/rasa#11256, #11428); a ticket also lives 60 s (``TICKET_LOCK_LIFETIME``) while one action call may
take 300 s, after which the next message goes ahead of a turn still running. Here:

- a ticket is ``INCR`` on the conversation's counter (its fencing number: strictly increasing) and joins
  the conversation's queue (a sorted set: the number and its expiry) in the same script;
- a message goes ahead only when its ticket is the oldest unexpired one (a script drops expired heads);
- the holder and every waiter renew their ticket's expiry every ``lifetime / 3`` while they wait or work,
  so a long action call keeps its turn and a crashed replica's ticket expires ``lifetime`` after its last
  renewal;
- release removes the ticket (a script; the queue key disappears with its last ticket).

Rasa calls only ``LockStore.lock`` (agent, processor and HTTP API), which this class implements; it is
configured in endpoints as ``lock_store: {type: bot.lock_store.AtomicRedisLockStore, url: …}`` (the
`scale` profile, bot/endpoints-scale.yml) and reads ``REDIS_URL`` when no url is given.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager, suppress
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore

logger = logging.getLogger(__name__)
DEFAULT_URL = "redis://127.0.0.1:6379/1"
KEY_PREFIX = "ysly:lock:"
POLL_SECONDS = 0.02  # how often a waiting message asks whether it is its turn
IDLE_KEY_MS = 24 * 3600 * 1000  # a conversation's counter outlives its queue by a day (numbers keep rising)

# KEYS: counter, queue; ARGV: lifetime ms, idle ms. Returns the new ticket number.
_ISSUE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local n = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], n, n .. ':' .. (now + tonumber(ARGV[1])))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return n
"""
# KEYS: queue; ARGV: ticket. 1: its turn; 0: wait; -1: the ticket is gone (expired).
_TURN = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
while true do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0)
  if #head == 0 then return -1 end
  local number, expires = string.match(head[1], '^(%d+):(%d+)$')
  if tonumber(expires) < now then
    redis.call('ZREM', KEYS[1], head[1])
  elseif tonumber(number) == tonumber(ARGV[1]) then
    return 1
  elseif #redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1]) == 0 then
    return -1
  else
    return 0
  end
end
"""
# KEYS: queue; ARGV: ticket, lifetime ms. Renews the ticket's expiry; 0 when it is gone.
_RENEW = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local mine = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])
if #mine == 0 then return 0 end
redis.call('ZREM', KEYS[1], mine[1])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[1] .. ':' .. (now + tonumber(ARGV[2])))
return 1
"""
# KEYS: queue; ARGV: ticket.
_RELEASE = """
return redis.call('ZREMRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])
"""


class AtomicRedisLockStore(LockStore):
    def __init__(self, endpoint_config: Any = None, *, client: Any = None, url: str | None = None,
                 key_prefix: str = KEY_PREFIX, lifetime: float | None = None,
                 poll_seconds: float = POLL_SECONDS) -> None:
        kwargs = dict(getattr(endpoint_config, "kwargs", None) or {})
        self.url = url or getattr(endpoint_config, "url", None) or os.environ.get("REDIS_URL") or DEFAULT_URL
        self.key_prefix = kwargs.get("key_prefix", key_prefix)
        self.lifetime = float(lifetime or kwargs.get("lifetime") or LOCK_LIFETIME)
        self.poll_seconds = float(kwargs.get("poll_seconds", poll_seconds))
        if client is None:
            import redis.asyncio

            client = redis.asyncio.Redis.from_url(self.url, socket_timeout=float(kwargs.get("socket_timeout", 10)))
        self.red = client
        self._issue = client.register_script(_ISSUE)
        self._turn = client.register_script(_TURN)
        self._renew = client.register_script(_RENEW)
        self._release = client.register_script(_RELEASE)
        super().__init__()

    def __repr__(self) -> str:  # the url may hold a password
        return f"AtomicRedisLockStore(prefix={self.key_prefix!r}, lifetime={self.lifetime})"

    def _keys(self, conversation_id: str) -> tuple[str, str]:
        base = f"{self.key_prefix}{conversation_id}"
        return f"{base}:counter", f"{base}:queue"

    async def issue(self, conversation_id: str, lifetime: float | None = None) -> int:
        counter, queue = self._keys(conversation_id)
        lifetime_ms = int((lifetime or self.lifetime) * 1000)
        return int(await self._issue(keys=[counter, queue], args=[lifetime_ms, IDLE_KEY_MS]))

    async def is_turn(self, conversation_id: str, ticket: int) -> int:
        return int(await self._turn(keys=[self._keys(conversation_id)[1]], args=[ticket]))

    async def renew(self, conversation_id: str, ticket: int, lifetime: float | None = None) -> bool:
        lifetime_ms = int((lifetime or self.lifetime) * 1000)
        return bool(await self._renew(keys=[self._keys(conversation_id)[1]], args=[ticket, lifetime_ms]))

    async def release(self, conversation_id: str, ticket: int) -> None:
        await self._release(keys=[self._keys(conversation_id)[1]], args=[ticket])

    async def _keep_alive(self, conversation_id: str, ticket: int, lifetime: float) -> None:
        while True:
            await asyncio.sleep(lifetime / 3)
            try:
                if not await self.renew(conversation_id, ticket, lifetime):
                    return
            except Exception as error:  # Redis away for a moment: the ticket lives on until its expiry
                logger.warning("lock store: could not renew a ticket (%s)", type(error).__name__)

    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[TicketLock, None]:
        """Wait for this conversation's turn (in the order the messages arrived at any replica), hold it
        while the body runs, then give it to the next. ``wait_time_in_seconds`` (Rasa's 1 s between
        attempts) is capped at ``poll_seconds``: a turn starts within a few ms of the previous one's end."""
        lifetime = max(float(lock_lifetime or 0), self.lifetime)
        try:
            ticket = await self.issue(conversation_id, lifetime)
        except Exception as error:
            raise LockError(f"Could not issue a lock ticket for conversation '{conversation_id}': "
                            f"{type(error).__name__}") from error
        keeper = asyncio.ensure_future(self._keep_alive(conversation_id, ticket, lifetime))
        try:
            wait = min(float(wait_time_in_seconds), self.poll_seconds)
            while True:
                state = await self.is_turn(conversation_id, ticket)
                if state == 1:
                    break
                if state == -1:
                    raise LockError(f"The lock ticket of conversation '{conversation_id}' expired while waiting.")
                await asyncio.sleep(wait)
            held = TicketLock(conversation_id)
            held.fencing_ticket = ticket  # strictly increasing per conversation: a writer may check it
            yield held
        finally:
            keeper.cancel()
            with suppress(asyncio.CancelledError):
                await keeper
            with suppress(Exception):
                await self.release(conversation_id, ticket)

    # Rasa's synchronous ticket API is not used by Rasa itself (only ``lock``); refuse it clearly.
    def get_lock(self, conversation_id: str) -> TicketLock | None:
        raise NotImplementedError("AtomicRedisLockStore keeps no TicketLock; use `async with lock(...)`")

    def save_lock(self, lock: TicketLock) -> None:
        raise NotImplementedError("AtomicRedisLockStore keeps no TicketLock; use `async with lock(...)`")

    def delete_lock(self, conversation_id: str) -> None:
        raise NotImplementedError("AtomicRedisLockStore keeps no TicketLock; use `async with lock(...)`")
