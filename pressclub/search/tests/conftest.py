import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with an empty cache: Wagtail keeps renditions there under image ids that
    a later test's database reuses."""
    cache.clear()
    yield
    cache.clear()
