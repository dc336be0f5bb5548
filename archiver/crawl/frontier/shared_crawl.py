"""A crawl shared through Redis, as one worker sees it: seeding, heartbeat, in-flight requests,
the reaper, and the end.

Every request a worker takes from the shared queue is moved, in the same atomic step, into the
worker's in-flight hash, and leaves it only once the worker is done with it (its response
scraped: links queued, record written; or turned into a redirect or retry that is queued
itself). A worker keeps a heartbeat key with a time to live; the reaper, run by any live worker
that has nothing to do, puts the in-flight requests of workers whose heartbeat expired back into
the queue. So a worker killed at any moment loses nothing: what it took and had not finished is
fetched again by another (and the page stored as one record, `archiver merge` de-duplicating).

The crawl is over when its start requests are queued, the queue is empty and no worker, alive
or dead, holds a request in flight: nothing can ever add work again. Those checks (and the
reaping) run in one Lua script, so that no request is ever seen in neither place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import count

from redis import Redis
from scrapy import Spider
from scrapy_redis.connection import get_redis_from_settings

from archiver.crawl.frontier.keys import CrawlKeys, checked_crawl_id, derived_crawl_id, worker_id

# How long a finished crawl stays marked as finished: a worker joining it meanwhile ends at
# once instead of starting the crawl anew. After that, the same command starts a new crawl.
FINISHED_TTL = 600

SEEDED = "done"
FINISHED = "finished"

# Takes the first request of the queue (lowest score: highest priority) into the in-flight hash.
_TAKE = """
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then return false end
redis.call('HSET', KEYS[2], ARGV[1], popped[2] .. ' ' .. popped[1])
redis.call('SADD', KEYS[3], ARGV[2])
return popped[1]
"""

# Reaps dead workers, then says whether the crawl is over (and if so marks it finished and
# removes its queue, seen URLs and digests). Returns {requeued, queued, state, busy workers}.
_SETTLE = """
local workers, queue, state, seen, digests = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local prefix, finished_ttl = ARGV[1], ARGV[2]
local requeued, busy = 0, 0
for _, worker in ipairs(redis.call('SMEMBERS', workers)) do
  local base = prefix .. ':worker:' .. worker
  local in_flight = base .. ':in-flight'
  if redis.call('EXISTS', base .. ':alive') == 0 then
    for _, entry in ipairs(redis.call('HVALS', in_flight)) do
      local space = string.find(entry, ' ', 1, true)
      redis.call('ZADD', queue, string.sub(entry, 1, space - 1), string.sub(entry, space + 1))
      requeued = requeued + 1
    end
    redis.call('DEL', in_flight)
    redis.call('SREM', workers, worker)
    if redis.call('GET', state) == 'seeding:' .. worker then redis.call('DEL', state) end
  elseif redis.call('HLEN', in_flight) > 0 then
    busy = busy + 1
  end
end
local queued = redis.call('ZCARD', queue)
local current = redis.call('GET', state) or ''
if current == 'done' and queued == 0 and busy == 0 then
  redis.call('SET', state, 'finished', 'EX', finished_ttl)
  redis.call('DEL', queue, seen, digests, workers)
  current = 'finished'
end
return {requeued, queued, current, busy}
"""


@dataclass(frozen=True, slots=True)
class Settled:
    requeued: int
    """Requests of dead workers put back into the queue just now."""
    queued: int
    state: str
    """"" (nobody has seeded), "seeding:WORKER", "done" or "finished"."""
    busy_workers: int

    @property
    def finished(self) -> bool:
        return self.state == FINISHED

    @property
    def seeding_abandoned(self) -> bool:
        """The worker seeding the crawl died before it was done: someone must seed again."""
        return self.state == ""


class SharedCrawl:
    def __init__(self, server: Redis, keys: CrawlKeys, worker: str, heartbeat_ttl: float) -> None:
        self.server = server
        self.keys = keys
        self.worker = worker
        self._ttl_ms = max(1, int(heartbeat_ttl * 1000))
        self._take = server.register_script(_TAKE)
        self._settle = server.register_script(_SETTLE)
        self._tokens = count()

    @classmethod
    def for_spider(cls, spider: Spider) -> SharedCrawl | None:
        """The crawl this worker takes part in; None without a frontier (`ARCHIVER_FRONTIER`)."""
        settings = spider.settings
        if not settings.get("ARCHIVER_FRONTIER"):
            return None
        profile = getattr(spider, "profile", None)
        crawl_id = settings.get("ARCHIVER_CRAWL_ID") or derived_crawl_id(
            getattr(spider, "start_urls", ()), getattr(profile, "name", None)
        )
        return cls(
            get_redis_from_settings(settings),
            CrawlKeys(checked_crawl_id(crawl_id)),
            worker_id(),
            settings.getfloat("ARCHIVER_FRONTIER_WORKER_TIMEOUT"),
        )

    def beat(self) -> None:
        """Says this worker is alive for the next heartbeat TTL (and that it takes part)."""
        with self.server.pipeline() as pipe:
            pipe.set(self.keys.alive(self.worker), b"1", px=self._ttl_ms)
            pipe.sadd(self.keys.workers, self.worker)
            pipe.execute()

    def claim_seeding(self) -> bool:
        """True for the one worker that seeds the crawl with its start requests."""
        self.beat()
        return bool(self.server.set(self.keys.state, f"seeding:{self.worker}", nx=True))

    def seeded(self) -> None:
        self.server.set(self.keys.state, SEEDED)

    def take(self) -> tuple[str, bytes] | None:
        """The next queued request (serialized), now in this worker's in-flight hash under the
        token returned with it; None when the queue is empty."""
        token = str(next(self._tokens))
        data = self._take(
            keys=[self.keys.queue, self.keys.in_flight(self.worker), self.keys.workers],
            args=[token, self.worker],
        )
        return (token, data) if data is not None else None

    def done(self, tokens: Iterable[str]) -> None:
        tokens = list(tokens)
        if tokens:
            self.server.hdel(self.keys.in_flight(self.worker), *tokens)

    def forget_in_flight(self) -> int:
        """Drops this worker's in-flight hash, for when the engine holds no request; returns how
        many requests it still listed (ones whose end the finalizers had not marked yet)."""
        with self.server.pipeline() as pipe:
            pipe.hlen(self.keys.in_flight(self.worker))
            pipe.delete(self.keys.in_flight(self.worker))
            listed, _ = pipe.execute()
        return int(listed)

    def requeue_own(self) -> Settled:
        """At start: what a dead worker of the same id (a reused process id) left in flight
        goes back to the queue, as the reaper would do once its heartbeat expired."""
        self.server.delete(self.keys.alive(self.worker))
        settled = self.settle()
        self.beat()
        return settled

    def leave(self) -> Settled:
        """Ends this worker's part: what it still holds in flight goes back to the queue."""
        self.server.delete(self.keys.alive(self.worker))
        return self.settle()

    def settle(self) -> Settled:
        """Reaps dead workers and says where the crawl stands; marks it finished when it is."""
        keys = self.keys
        requeued, queued, state, busy = self._settle(
            keys=[keys.workers, keys.queue, keys.state, keys.seen, keys.digests],
            args=[keys.prefix, FINISHED_TTL],
        )
        text = state.decode() if isinstance(state, bytes) else str(state)
        return Settled(int(requeued), int(queued), text, int(busy))
