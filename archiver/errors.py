"""The one exception hierarchy of archiver.

The CLI turns every ArchiverError into one line on stderr and a non-zero exit code, so a user
never sees a traceback for a mistake they can fix (a bad profile name, an unreadable WARC).
"""


class ArchiverError(Exception):
    """Base of every error archiver reports to its user."""

    exit_code = 1


class UsageError(ArchiverError):
    """The command line or a setting asks for something that cannot work."""

    exit_code = 2


class ProfileError(UsageError):
    """A publication profile is unknown or malformed."""


class WarcReadError(ArchiverError):
    """A WARC file could not be read to its end; records before the damage were kept."""


class CrawlFailedError(ArchiverError):
    """The crawl stopped on an error of its own (a component that failed to load or crashed)."""


class EmptyCrawlError(ArchiverError):
    """A crawl ended and its output folder holds no article at all."""


class WarcPointerError(ArchiverError):
    """A record's `warc` pointer does not lead to the response record it cites."""


class ExportError(ArchiverError):
    """A collection's records do not fit the table the record schema describes."""
