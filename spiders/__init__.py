"""archiver's Scrapy spiders (SPIDER_MODULES)."""
