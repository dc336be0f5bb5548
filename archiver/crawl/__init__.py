"""Running a crawl: scope, URL canonical form, limits, pipelines and the runner."""
