"""The end of the flow: records out to researchers, as JSON Lines, Parquet, CSV and a report.

`archiver export` (collection.py) and `archiver report` (report.py) both read a collection as one
record per article (latest.py); the record schema decides the columns (columns.py).
"""
