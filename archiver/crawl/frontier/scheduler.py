"""scrapy-redis's scheduler, taking each request into this worker's in-flight hash.

Queueing is scrapy-redis's own: its RFPDupeFilter (the crawl's seen URLs, a Redis set) and its
PriorityQueue (a sorted set scored by -priority, so DEPTH_PRIORITY keeps the crawl breadth
first across workers), requests serialized with their callbacks by name. Taking a request
differs: it moves into the worker's in-flight hash in the same atomic step
(`SharedCrawl.take`), under a token that goes with it in `request.meta`, until `in_flight.py`
says the worker is done with it. Tokens are handed to Redis in batches (`flush`), at the next
take or heartbeat.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Self

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.utils.request import request_from_dict
from scrapy_redis import picklecompat
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from archiver.crawl.frontier.shared_crawl import SharedCrawl

# request.meta key: the token of a taken request in this worker's in-flight hash.
TOKEN = "_archiver_frontier_token"

# Set on a request the lifecycle extension took from the queue to wake an idle engine: the
# engine hands it back through enqueue_request, and it must not be queued (or filtered) again.
TAKEN = "_archiver_frontier_taken"


class FrontierScheduler(Scheduler):
    shared: SharedCrawl

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._max_taken = 0
        self.taken = 0
        self._finished_tokens: list[str] = []
        self._ready: deque[Request] = deque()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        # scrapy-redis's from_settings knows nothing of the page budget; read it here.
        instance = super().from_crawler(crawler)
        instance._max_taken = crawler.settings.getint("ARCHIVER_MAX_PAGES")
        return instance

    def open(self, spider: Spider) -> None:
        shared = SharedCrawl.for_spider(spider)
        assert shared is not None, "FrontierScheduler runs only with ARCHIVER_FRONTIER set"
        self.shared = shared
        # The crawl's keys, not scrapy-redis's per-spider-name defaults.
        self.queue_key = shared.keys.queue
        self.df = RFPDupeFilter(
            self.server, key=shared.keys.seen, debug=spider.settings.getbool("DUPEFILTER_DEBUG")
        )
        super().open(spider)
        settled = shared.requeue_own()
        if settled.requeued:
            spider.logger.warning(
                "Put back %d requests a dead worker of the same id left in flight",
                settled.requeued,
            )

    @property
    def budget_spent(self) -> bool:
        """`--max-pages N` with a frontier: this worker takes at most N requests, and leaves the
        rest of the queue to the other workers (or to a later run)."""
        return bool(self._max_taken) and self.taken >= self._max_taken

    def enqueue_request(self, request: Request) -> bool:
        if request.meta.pop(TAKEN, False):
            self._ready.append(request)
            return True
        # A redirect or retry of a taken request carries its token (in a copy of its meta):
        # queued (or found seen), it ends the request it was made of.
        token = request.meta.pop(TOKEN, None)
        # scrapy-redis's own enqueue_request, less the `spider` argument to the stats collector
        # that Scrapy 2.19 deprecates.
        queued = request.dont_filter or not self.df.request_seen(request)
        if queued:
            self.queue.push(request)
            if self.stats:
                self.stats.inc_value("scheduler/enqueued/redis")
        else:
            self.df.log(request, self.spider)
        if token is not None:
            self.done(token)
        return queued

    def next_request(self) -> Request | None:
        self.flush()
        if self._ready:
            return self._ready.popleft()
        if self.budget_spent:
            return None
        taken = self.shared.take()
        if taken is None:
            return None
        token, data = taken
        serializer = self.serializer or picklecompat
        request = request_from_dict(serializer.loads(data), spider=self.spider)
        request.meta[TOKEN] = token
        self.taken += 1
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        if self._ready:
            return True
        return not self.budget_spent and bool(super().has_pending_requests())

    def done(self, token: str) -> None:
        self._finished_tokens.append(token)

    def flush(self) -> None:
        """Tells Redis which taken requests this worker is done with."""
        if self._finished_tokens:
            tokens, self._finished_tokens = self._finished_tokens, []
            self.shared.done(tokens)
