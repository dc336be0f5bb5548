"""URL templates as the trap guard sees them."""

from archiver.crawl.trap_guard import template_of


def test_digits_become_n_and_query_values_are_dropped() -> None:
    assert template_of("https://x.org/events/2006/03/") == "x.org/events/N/N/?"
    assert (
        template_of("https://x.org/search?sort=date&page=7&q=strike") == "x.org/search?page&q&sort"
    )


def test_articles_with_their_own_slugs_have_templates_of_their_own() -> None:
    assert template_of("https://x.org/news/tube-strike/") != template_of("https://x.org/news/pay/")
