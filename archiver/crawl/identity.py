"""How a crawl introduces itself: a User-Agent naming archiver and the archivist's contact.

Site owners who see an unknown crawler in their logs should be able to ask who is archiving
them; a crawl without a contact says so in its log.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from archiver import __version__

if TYPE_CHECKING:  # archiver.settings reads user_agent: loading it must not load Scrapy
    from scrapy.settings import Settings

logger = logging.getLogger(__name__)
PROJECT_URL = "https://github.com/archiver-project/archiver"


def user_agent(contact: str) -> str:
    return f"archiver/{__version__} (+{contact or PROJECT_URL})"


def identify(settings: Settings) -> None:
    """Puts the contact into the User-Agent, unless the user set a User-Agent of their own."""
    contact = settings.get("ARCHIVER_CONTACT", "")
    if not contact:
        logger.warning(
            "No contact set: site owners cannot reach you. Give a URL or email with --contact "
            "(or ARCHIVER_CONTACT) so that archiver's User-Agent names you."
        )
    contact_priority = settings.getpriority("ARCHIVER_CONTACT") or 0
    if (settings.getpriority("USER_AGENT") or 0) < contact_priority:
        settings.set("USER_AGENT", user_agent(contact), priority=contact_priority)
