"""The archive side: raw capture of HTTP exchanges, WARC writing and reading, validation, the
CDXJ index and the WACZ package."""
