"""Absolute URLs: the one way pressclub turns a path into a link that works outside the page."""

from django.conf import settings
from django.utils.encoding import iri_to_uri
from wagtail.models import Site


def absolute_url(path: str, *, request=None, page=None, admin: bool = False) -> str:
    """Return ``path`` as an absolute, percent-encoded URL (RFC 3987 IRI → RFC 3986 URI).

    The scheme and host come from ``request`` (the address the reader used) when there is one.
    Without a request (e-mails, commands), every link, to a story or into the admin alike, comes
    from one place: ``PRESSCLUB_BASE_URL`` when it is configured (for the default site's pages and
    for links to no page); else the root URL of ``page``'s Wagtail site, else of the default site
    (which ``pressclub demo`` points at the address it serves); else ``WAGTAILADMIN_BASE_URL``.
    ``admin`` marks links into the admin; they follow the same rule. An empty ``path`` gives "";
    an ``http(s)://`` URL keeps its own host.
    Example: ``absolute_url("/local/", page=story)`` → ``"https://news.example.org/local/"``.
    """
    if not path:
        return ""
    if not path.startswith(("http://", "https://")):
        if request is not None:
            path = request.build_absolute_uri(path)
        else:
            path = _root_url(page=page, admin=admin).rstrip("/") + path
    return iri_to_uri(path)


def _root_url(*, page, admin: bool) -> str:
    site = page.get_site() if page is not None else None
    configured = getattr(settings, "PRESSCLUB_BASE_URL", "")
    if configured and (site is None or site.is_default_site):
        return configured
    site = site or Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    return site.root_url if site is not None else settings.WAGTAILADMIN_BASE_URL


# --- one-click unsubscribe links (RFC 8058), shared by every kind of e-mail the site sends --------

# The salt of the comment e-mails' links, where these began: links already sent keep working.
UNSUBSCRIBE_SALT = "pressclub.comments.unsubscribe"


class LinkError(Exception):
    """A signed link was altered, cut short, has expired or names nothing; ``message`` is for the reader."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def signed_load(token: str, *, salt: str, max_age: int | None = None, expired: str = "", invalid: str):
    """Return the value ``token`` carries (``django.core.signing``, signed with ``SECRET_KEY`` and
    ``salt``); raise LinkError with ``expired`` (the reader's message) when it is older than
    ``max_age`` seconds, with ``invalid`` when its signature does not match (altered, cut short).
    Each link kind says in its own words what the reader can do next."""
    from django.core import signing

    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkError(expired or invalid) from None
    except signing.BadSignature:
        raise LinkError(invalid) from None


def unsubscribe_token(*, email: str, kind: str) -> str:
    """Return the signed token that stops ``kind`` e-mail ("replies", "follows", …) to ``email``; no expiry.

    Signed with ``SECRET_KEY`` (``django.core.signing``), e.g. ``"eJyrVkpV…:1vP…:Xy…"``.
    """
    from django.core import signing

    return signing.dumps({"e": email.lower(), "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str, *, kinds) -> tuple[str, str]:
    """Return (email, kind) from an unsubscribe token whose kind is one of ``kinds``.

    Raise LinkError when the signature does not match (altered, cut short) or the token names
    another kind of e-mail or no address.
    """
    from django.utils.translation import gettext as _

    data = signed_load(
        token, salt=UNSUBSCRIBE_SALT, invalid=_("This unsubscribe link is not valid: it may have been cut short or changed.")
    )
    if not isinstance(data, dict) or data.get("k") not in kinds or not data.get("e"):
        raise LinkError(_("This unsubscribe link is not valid."))
    return data["e"], data["k"]


def unsubscribe_headers(url: str) -> dict[str, str]:
    """Return the one-click unsubscribe headers for a message whose unsubscribe link is ``url``.

    ``List-Unsubscribe: <url>`` (RFC 2369) and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``
    (RFC 8058): a mail client then POSTs to ``url`` with no further question.
    """
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
