"""Static files in tests: WhiteNoise starts without scanning a missing STATIC_ROOT."""

import warnings

from lxml import html as lxml_html
from whitenoise.middleware import WhiteNoiseMiddleware


def test_whitenoise_starts_without_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        WhiteNoiseMiddleware(get_response=lambda request: None)
    assert [str(w.message) for w in caught] == []


def test_favicon_is_linked_and_favicon_ico_redirects_to_it(client, home_page):
    doc = lxml_html.fromstring(client.get("/").content)
    assert doc.xpath("//link[@rel='icon']/@href") == ["/static/favicon.svg"]
    assert doc.xpath("//link[@rel='icon']/@type") == ["image/svg+xml"]
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/favicon.svg")
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200
    assert icon["Content-Type"].startswith("image/svg+xml")
    assert b"".join(icon.streaming_content).startswith(b"<svg ")
