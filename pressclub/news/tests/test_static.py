"""Static files in tests: WhiteNoise starts without scanning a missing STATIC_ROOT."""

import warnings

from whitenoise.middleware import WhiteNoiseMiddleware


def test_whitenoise_starts_without_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        WhiteNoiseMiddleware(get_response=lambda request: None)
    assert [str(w.message) for w in caught] == []
