"""One crawl shared by several `archiver crawl` processes on any machines, through Redis.

`archiver crawl URL... --frontier redis://HOST:PORT/DB` (or `frontier = "redis://..."` in a
crawl's TOML file) makes the process a worker of a crawl whose request queue, seen-URL filter
and payload-digest index live in Redis. scrapy-redis's scheduler and dupefilter do the queueing;
this package adds what a crawl of several workers needs on top of them:

- `addon.py`: the Scrapy add-on that turns it all on when `ARCHIVER_FRONTIER` is set (and does
  nothing otherwise: the single-machine crawl stays the default);
- `keys.py`: which crawl a worker joins (`--crawl-id`, or one derived from the start URLs) and
  the Redis keys of that crawl;
- `shared_crawl.py`: the crawl's state as one worker sees it: seeding once, the worker's
  heartbeat and in-flight requests, the reaper that puts a dead worker's requests back, and the
  decision that the crawl is over;
- `scheduler.py`: scrapy-redis's scheduler, taking requests out of the queue atomically into the
  worker's in-flight list;
- `in_flight.py`: the middlewares that tell when the worker is done with a request it took;
- `lifecycle.py`: the extension that beats the heart, wakes an idle worker when there is work
  again, and lets the spider close only when the whole crawl is done;
- `digests.py`: payloads archived by any worker, so a payload is stored once per crawl.
"""
