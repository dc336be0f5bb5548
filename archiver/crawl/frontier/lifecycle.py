"""A worker's life in a shared crawl: heartbeat, waking when there is work, closing at the end.

Scrapy closes a spider as soon as its own scheduler is empty; in a shared crawl an empty queue
only means that the other workers hold the work for now: their pages will bring new links, and
a worker that dies leaves its requests to be put back. So on `spider_idle` this extension keeps
the spider open (DontCloseSpider) until the whole crawl is over (`SharedCrawl.settle`), and
meanwhile, once a heartbeat, reaps dead workers and wakes the engine as soon as the queue holds
work again (Scrapy itself would look only every 5 s).
"""

from __future__ import annotations

import logging

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.defer import Deferred
from twisted.internet.task import LoopingCall

from archiver.crawl.frontier.scheduler import TAKEN, FrontierScheduler

logger = logging.getLogger(__name__)


class FrontierLifecycle:
    def __init__(self, crawler: Crawler) -> None:
        self._crawler = crawler
        self._interval = crawler.settings.getfloat("ARCHIVER_FRONTIER_HEARTBEAT")
        self._heart = LoopingCall(self._beat)
        # The scheduler's count of requests taken when the engine last went idle; None while it
        # is busy. Taking a request (the engine's or our wake-up) ends the wait.
        self._idle_at: int | None = None
        self._seeding: Deferred[None] | None = None
        crawler.signals.connect(self._opened, signal=signals.spider_opened)
        crawler.signals.connect(self._idle, signal=signals.spider_idle)
        crawler.signals.connect(self._closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierLifecycle:
        if not crawler.settings.get("ARCHIVER_FRONTIER"):
            raise NotConfigured
        return cls(crawler)

    @property
    def _scheduler(self) -> FrontierScheduler:
        engine = self._crawler.engine
        scheduler = engine.scheduler if engine is not None else None
        assert isinstance(scheduler, FrontierScheduler), "ARCHIVER_FRONTIER needs its scheduler"
        return scheduler

    def _opened(self, spider: Spider) -> None:
        self._heart.start(self._interval, now=False)
        logger.info(
            "Worker %s joined crawl %s at %s",
            self._scheduler.shared.worker,
            self._scheduler.shared.keys.crawl_id,
            self._crawler.settings.get("ARCHIVER_FRONTIER"),
        )

    def _idle(self, spider: Spider) -> None:
        scheduler = self._scheduler
        scheduler.flush()
        if scheduler.budget_spent:
            logger.info("This worker took its --max-pages; the other workers go on")
            return
        # The engine holds no request now: whatever our in-flight hash still lists is done.
        stale = scheduler.shared.forget_in_flight()
        if stale:
            assert self._crawler.stats is not None
            self._crawler.stats.inc_value("archiver/frontier/in_flight_forgotten", stale)
        self._idle_at = scheduler.taken
        if self._crawl_over(spider):
            return
        raise DontCloseSpider

    def _beat(self) -> None:
        scheduler = self._scheduler
        scheduler.shared.beat()
        scheduler.flush()
        if self._idle_at is None:
            return
        if self._idle_at != scheduler.taken:
            self._idle_at = None
            return
        if self._crawl_over(self._crawler.spider):
            engine = self._crawler.engine
            assert engine is not None
            self._idle_at = None
            deferred_from_coro(engine.close_spider_async(reason="finished"))

    def _crawl_over(self, spider: Spider | None) -> bool:
        """Reaps dead workers and says whether the crawl is over; if work is queued, wakes the
        engine; if the worker that was seeding the crawl died, seeds it again."""
        settled = self._scheduler.shared.settle()
        stats = self._crawler.stats
        assert stats is not None and spider is not None
        if settled.requeued:
            stats.inc_value("archiver/frontier/requeued", settled.requeued)
            logger.warning("Put back %d requests of dead workers into the queue", settled.requeued)
        if settled.finished:
            logger.info("The shared crawl is over")
            return True
        if settled.seeding_abandoned and self._seeding is None:
            logger.warning("The worker seeding the crawl died; seeding it again")
            self._seeding = deferred_from_coro(self._seed(spider))
        if settled.queued:
            self._wake()
        return False

    def _wake(self) -> None:
        """Hands the engine one queued request: the engine then takes the rest itself."""
        request = self._scheduler.next_request()
        engine = self._crawler.engine
        if request is None or engine is None:
            return
        self._idle_at = None
        request.meta[TAKEN] = True
        engine.crawl(request)

    async def _seed(self, spider: Spider) -> None:
        engine = self._crawler.engine
        assert engine is not None
        async for request in spider.start():
            engine.crawl(request)
        self._seeding = None

    def _closed(self, spider: Spider, reason: str) -> None:
        if self._heart.running:
            self._heart.stop()
        scheduler = self._scheduler
        scheduler.flush()
        if reason == "finished":
            scheduler.shared.forget_in_flight()
        # Whatever is still in flight (a shutdown mid-crawl) goes back to the queue at once.
        settled = scheduler.shared.leave()
        if settled.requeued:
            logger.info("Put %d unfinished requests back into the queue", settled.requeued)
