"""archiver's Scrapy settings, all defaults in one place.

`archiver crawl` and `scrapy crawl publication` (through scrapy.cfg) both start from this module;
`-s NAME=VALUE` overrides any of it.
"""

from archiver.crawl.identity import user_agent
from archiver.crawl.scope import TRACKING_PARAMS

BOT_NAME = "archiver"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Where a crawl writes: DIR/warc/*.warc.gz, DIR/articles.jsonl, DIR/crawl-stats.json.
ARCHIVER_OUTPUT = "data/crawl"
# Stop after this many responses (0: no limit); robots.txt fetches are not counted.
ARCHIVER_MAX_PAGES = 0
# Publication profile (a name from `archiver/profiles/`), or empty for none.
ARCHIVER_PROFILE = ""
# A contact URL or email for the User-Agent, so site owners can reach the archivist.
ARCHIVER_CONTACT = ""
# Serve what the output folder already archived from its WARCs instead of fetching it again.
ARCHIVER_RESUME = False
# Ask conditionally for pages the output folder already holds (incremental runs).
ARCHIVER_REVALIDATE = True
# Keep Authorization, Proxy-Authorization and Cookie values (and user:password in URLs) in the
# request records; by default they are redacted.
ARCHIVER_KEEP_CREDENTIALS = False
ARCHIVER_WARC_PREFIX = "archiver"
ARCHIVER_WARC_MAX_SIZE = 1_000_000_000
# gzip level of the WARC records (0-9). 6 is zlib's default and what Heritrix and wget write:
# on news pages it makes files within 1% of level 9's (warcio's fixed level) at well under
# two thirds of the CPU, on the crawl's reactor thread. 1 costs a third of 6, for ~20% more disk.
ARCHIVER_WARC_GZIP_LEVEL = 6
# Query parameters dropped from every URL before it is fetched (shell-style patterns).
ARCHIVER_TRACKING_PARAMS = list(TRACKING_PARAMS)

# A crawl shared by workers on several machines (archiver/crawl/frontier/): the Redis URL
# (redis://HOST:PORT/DB) holding its queue, seen URLs and payload digests; empty: this process
# crawls alone. The add-on below sets scrapy-redis's settings when it is given.
ARCHIVER_FRONTIER = ""
# The shared crawl to join; empty: one derived from the start URLs and the profile.
ARCHIVER_CRAWL_ID = ""
# Seconds between a worker's heartbeats, and of silence after which a worker counts as dead and
# the requests it held in flight go back to the queue.
ARCHIVER_FRONTIER_HEARTBEAT = 1.0
ARCHIVER_FRONTIER_WORKER_TIMEOUT = 30.0
ADDONS = {"archiver.crawl.frontier.addon.RedisFrontier": 0}

# With a contact (--contact, ARCHIVER_CONTACT) it becomes "archiver/VERSION (+CONTACT)".
USER_AGENT = user_agent("")

# Politeness: robots.txt, one request at a time per host, adaptive delays.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
# A longer response is archived cut (WARC-Truncated: length) and not extracted. Scrapy's 1 GiB
# lets one hostile response (one that never ends) take gigabytes: a crawl holds a response in
# memory several times over (the raw capture, Scrapy's body, the record written). News pages
# weigh well under 32 MiB, and links to media files, which may weigh more, are not followed.
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
# robots.txt Crawl-delay is obeyed up to this many seconds.
ARCHIVER_MAX_CRAWL_DELAY = 60.0
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# No listening sockets: a crawl is driven from its command line and config, not remotely.
REMOTE_CONTROL_ENABLED = False

# Host names resolved from this table before DNS ({"name": "address"}, like curl --resolve).
ARCHIVER_HOSTS: dict[str, str] = {}
TWISTED_DNS_RESOLVER = "archiver.crawl.hosts_resolver.StaticHostsResolver"
# Networks never contacted unless a start URL lies in them, beyond the private, loopback,
# link-local, multicast and reserved ranges that are inward anyway (CIDR strings).
ARCHIVER_INWARD_NETWORKS: list[str] = []

DOWNLOAD_HANDLERS = {
    "http": "archiver.warc.capture.CapturingDownloadHandler",
    "https": "archiver.warc.capture.CapturingDownloadHandler",
}

DOWNLOADER_MIDDLEWARES = {
    # Scrapy's offsite middleware allows subdomains; archiver's scope is the exact hosts.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "archiver.crawl.scope_middleware.HostScopeMiddleware": 50,
    # After scope, before robots.txt: no request, not even for robots.txt, goes inward.
    "archiver.crawl.address_guard.AddressGuardMiddleware": 60,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "archiver.crawl.decompression.BoundedHttpCompressionMiddleware": 590,
    # Just outside RedirectMiddleware (600), so it sees each redirect before it is followed.
    "archiver.crawl.redirect_loops.RedirectLoopStats": 610,
    "archiver.crawl.page_budget.PageBudgetMiddleware": 960,
    # Near the downloader: sees every response (errors, redirects, retries) before
    # decompression or redirect handling change it. Pages it serves from the archive on a resumed
    # crawl never reach the page budget (960), which counts only what is fetched.
    "archiver.warc.archive_middleware.WarcArchiveMiddleware": 950,
    # Only with ARCHIVER_FRONTIER; outermost: sees a failure no other middleware took up.
    "archiver.crawl.frontier.in_flight.InFlightDownloaderMiddleware": 10,
}
# Extraction runs in this many worker processes (0: one per core); a page that keeps a worker
# longer than the timeout (seconds) has the worker killed and gives no record.
ARCHIVER_EXTRACT_WORKERS = 0
ARCHIVER_EXTRACT_TIMEOUT = 10.0

# A response body is decompressed (for extraction, link following, sitemaps) up to this size;
# past it the page is skipped and counted (archiver/decompression/too_large). What is archived
# is the body as sent, whatever this limit.
ARCHIVER_MAX_DECOMPRESSED = 32 * 1024 * 1024
# Crawler traps (archiver/crawl/trap_guard.py): URLs followed at most per URL template (digits
# as N, query parameter names) and per path (distinct query strings), and path length.
ARCHIVER_MAX_URLS_PER_TEMPLATE = 1000
ARCHIVER_MAX_QUERY_VARIANTS = 200
ARCHIVER_MAX_PATH_SEGMENTS = 16
SPIDER_MIDDLEWARES = {
    "archiver.crawl.trap_guard.TrapGuardMiddleware": 800,
    # Only with ARCHIVER_FRONTIER; outermost (HttpErrorMiddleware is 50): sees all the output.
    "archiver.crawl.frontier.in_flight.InFlightSpiderMiddleware": 10,
}
# Breadth first: the pages near the start (front page, sections, their articles) come before
# whatever lies deep, a trap included, and a --max-pages budget is spent on them first.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

ITEM_PIPELINES = {
    "archiver.crawl.extraction_pipeline.ExtractionPipeline": 100,
    "archiver.crawl.records_pipeline.RecordsPipeline": 200,
}

EXTENSIONS = {
    "archiver.crawl.collection_lock.CollectionLock": 0,
    # After AutoThrottle (0), whose delay adjustments it must have the last word on.
    "archiver.crawl.crawl_delay.RobotsCrawlDelay": 600,
    "archiver.crawl.stats_file.CrawlStatsFile": 500,
    "archiver.crawl.progress.CrawlProgress": 500,
    # archiver's progress line says more (articles, errors, queue) than Scrapy's LogStats.
    "scrapy.extensions.logstats.LogStats": None,
    "archiver.crawl.network_error_log.NetworkErrorLog": 0,
    # Only with ARCHIVER_FRONTIER: keeps a worker of a shared crawl open until the crawl is over.
    "archiver.crawl.frontier.lifecycle.FrontierLifecycle": 100,
}

LOG_LEVEL = "INFO"
# "auto": a live line on a terminal, else a log line every ARCHIVER_PROGRESS_INTERVAL seconds;
# "live", "log" or "off" to choose.
ARCHIVER_PROGRESS = "auto"
ARCHIVER_PROGRESS_INTERVAL = 30.0
FEED_EXPORT_ENCODING = "utf-8"
