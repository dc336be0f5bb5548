"""Extraction: bytes, URL and capture time of one page -> an Extraction, or None.

Data flows one way: fetch -> archive (WARC) -> extract -> record -> export. This package knows
nothing of Scrapy or warcio, so the crawl and `archiver extract` over old WARCs run the same code.
"""

from archiver.extract.extraction import Extraction
from archiver.extract.extractor import blocked_page, extract_article
from archiver.extract.issue_archive import IssueArchive, read_issue_archive

__all__ = ["Extraction", "IssueArchive", "blocked_page", "extract_article", "read_issue_archive"]
