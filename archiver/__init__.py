"""archiver: crawl the radical and left press into archival WARCs and clean article records."""

__version__ = "0.1.0"

__all__ = ["__version__"]
