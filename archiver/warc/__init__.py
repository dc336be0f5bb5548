"""The archive side: raw capture of HTTP exchanges, WARC writing, WARC reading."""
