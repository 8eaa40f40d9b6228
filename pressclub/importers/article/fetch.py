"""Read a news page over HTTP for import (the only network access of the wire-story import)."""

import urllib.error
import urllib.request
from urllib.parse import urlsplit

USER_AGENT = "pressclub-wire-import/1.0 (+https://pressclub.invalid)"
MAX_BYTES = 10 * 1024 * 1024  # a news page is well under this; more is not an article


class ArticleFetchError(OSError):
    """The page could not be read from its URL (bad URL, offline, HTTP error, too large)."""


def fetch_page(url: str, *, timeout: float = 15.0) -> bytes:
    """Return the raw bytes of the page at ``url`` (http or https), read within ``timeout`` seconds.

    Raise ArticleFetchError with a message naming the URL and the reason when the URL is not
    http(s), the host cannot be reached (e.g. the machine is offline), the server answers with an
    HTTP error, or the page is larger than 10 MB.
    """
    try:
        parts = urlsplit(url or "")
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid:
        raise ArticleFetchError(f"“{url}” is not an http(s) URL of a news page.")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked above
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise ArticleFetchError(f"Could not fetch {url}: the server answered {error.code} {error.reason}.")
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ArticleFetchError(
            f"Could not fetch {url}: {reason}. If this machine is offline, save the page as an .html file "
            "and import the file instead."
        )
    if len(data) > MAX_BYTES:
        raise ArticleFetchError(f"Could not fetch {url}: the page is larger than {MAX_BYTES // 1024 // 1024} MB.")
    return data
