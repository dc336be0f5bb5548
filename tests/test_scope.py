from archiver.crawl.scope import HostScope, UrlCleaner, host_key


def test_www_prefix_either_way_is_the_same_host() -> None:
    scope = HostScope(["https://www.example.org/news/"])
    assert "https://example.org/a" in scope
    assert "http://www.example.org/b" in scope
    assert "https://WWW.Example.ORG/c" in scope


def test_subdomains_and_other_names_are_off_site() -> None:
    scope = HostScope(["http://127.0.0.1:8000/"])
    assert "http://127.0.0.1:8000/x" in scope
    assert "http://localhost:8000/x" not in scope
    assert "http://shop.127.0.0.1/x" not in scope
    assert "https://example.org/" not in HostScope(["https://news.example.org/"])


def test_only_http_schemes_are_in_scope() -> None:
    scope = HostScope(["https://example.org/"])
    assert "mailto:editor@example.org" not in scope
    assert "ftp://example.org/file" not in scope
    assert "javascript:alert(1)" not in scope


def test_tracking_parameters_and_fragments_are_dropped() -> None:
    clean = UrlCleaner().clean
    assert clean("https://x.org/a/?utm_source=tw&utm_medium=social#comments") == "https://x.org/a/"
    assert clean("https://x.org/a?id=3&fbclid=abc&page=2") == "https://x.org/a?id=3&page=2"
    assert clean("https://x.org/a?b=2&a=1") == "https://x.org/a?b=2&a=1"


def test_canonical_form_ignores_query_order_www_and_tracking() -> None:
    canonical = UrlCleaner().canonical
    assert canonical("https://www.x.org/a?b=2&a=1&utm_campaign=z") == canonical(
        "https://x.org/a?a=1&b=2#top"
    )


def test_host_key_lowercases_and_strips_www() -> None:
    assert host_key("https://WWW.Jungewelt.DE/artikel") == "jungewelt.de"
