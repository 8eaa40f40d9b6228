"""Importer tests never reach the network: a wire story's lead image download fails unless a test
serves or fakes the image itself (by passing ``fetch_image`` or restoring ``ORIGINAL_FETCH_IMAGE``)."""

import pytest

from pressclub.importers.article import services
from pressclub.importers.fetch import ArticleFetchError

ORIGINAL_FETCH_IMAGE = services._fetch_image


def _offline(url: str) -> bytes:
    raise ArticleFetchError(f"Could not fetch {url}: the network is not used in tests.")


@pytest.fixture(autouse=True)
def no_image_downloads(monkeypatch):
    """Make the default lead-image fetcher fail as an offline machine's would."""
    monkeypatch.setattr(services, "_fetch_image", _offline)
