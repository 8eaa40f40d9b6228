"""The nginx site file shipped with pressclub: ``core/deploy/nginx.conf`` with its placeholders filled.

The template marks its HTTPS-only lines ``#tls`` and its plain-HTTP-only lines ``#plain``; rendering
keeps one set and leaves the other as comments, so the plain file shows what HTTPS would add.
"""

import re
from dataclasses import dataclass
from pathlib import Path

TEMPLATE = Path(__file__).parent / "deploy" / "nginx.conf"

# A value goes into the file verbatim: no spaces, quotes, semicolons or braces, which would end a
# directive or open a block.
_SAFE = re.compile(r"[^\s;{}'\"#$]+")


class NginxConfigError(ValueError):
    """A value given for the nginx site file cannot be written into it (it names the value)."""


@dataclass(frozen=True)
class NginxSite:
    """What the site file needs to know; every value is written into the file as it is.

    ``server_name``: host names, space-separated (``news.example.org www.news.example.org``).
    ``upstreams``: ``host:port`` of each ``pressclub serve`` (one per app server; nginx shares the
    requests among them and passes a request that finds one down to the next). ``var_dir``: absolute path holding ``static/``
    and ``media/``. ``listen``: nginx's ``listen`` value for plain HTTP (``80``, ``127.0.0.1:8080``).
    ``purge_listen``: ``host:port`` of the purge server (the host and port of
    ``PRESSCLUB_CACHE_PURGE_URL``). ``cache_dir``: where nginx keeps cached pages.
    ``tls``: serve HTTPS on 443 with ``certificate`` and ``certificate_key`` (PEM paths) and send
    plain HTTP there.
    """

    server_name: str
    upstreams: tuple[str, ...] = ("127.0.0.1:8000",)
    var_dir: str = "/srv/pressclub/var"
    listen: str = "80"
    purge_listen: str = "127.0.0.1:6081"
    cache_dir: str = "/var/cache/nginx/pressclub"
    tls: bool = False
    certificate: str = ""
    certificate_key: str = ""
    session_cookie: str = "sessionid"
    messages_cookie: str = "messages"
    language_cookie: str = "pressclub_language"
    languages: tuple[str, ...] = ("en", "ne", "hi", "bn")


def _language_blocks(languages: tuple[str, ...]) -> dict[str, str]:
    """Return the language placeholders' text: the Accept-Language map lines, the cookie alternation,
    and the purge server's mirror lines and internal locations (one per kept copy but the one the
    purge request drops itself: Brotli in the default language)."""
    hints = "\n".join(
        f'    "~*^\\s*{code}(-[a-z0-9]{{1,8}})*\\s*(,|$)" {code};' for code in languages
    )
    copies = [(encoding, language) for encoding in ("br", "gzip", "") for language in ("", *languages)]
    copies.remove(("br", ""))
    mirrors, locations = [], []
    for encoding, language in copies:
        name = f"/.purge-{encoding or 'plain'}-{language or 'default'}"
        mirrors.append(f"        mirror {name};")
        locations.append(
            f"    location = {name} {{\n        internal;\n"
            f"        proxy_cache_purge pressclub {encoding}:{language}:$http_host$request_uri;\n    }}"
        )
    return {
        "LANGUAGE_HINTS": hints,
        "LANGUAGE_ALTERNATION": "|".join(languages),
        "PURGE_MIRRORS": "\n".join(mirrors),
        "PURGE_LOCATIONS": "\n".join(locations),
    }


def render_nginx_config(site: NginxSite) -> str:
    """Return the nginx site file for ``site`` (text, one ``server`` block per listener).

    Raise NginxConfigError naming the value when one would break the file (empty, or holding a
    space where none belongs, ``;``, ``{``, ``}``, quotes, ``#`` or ``$``), when ``var_dir`` or
    ``cache_dir`` is not absolute, when ``upstreams`` is empty, or when one of them or
    ``purge_listen`` is not ``host:port``.
    """
    certificate = site.certificate or f"/etc/letsencrypt/live/{site.server_name.split()[0]}/fullchain.pem"
    certificate_key = site.certificate_key or f"/etc/letsencrypt/live/{site.server_name.split()[0]}/privkey.pem"
    values = {
        "SERVER_NAME": site.server_name,
        "VAR_DIR": str(site.var_dir).rstrip("/"),
        "LISTEN": site.listen,
        "PURGE_LISTEN": site.purge_listen,
        "CACHE_DIR": str(site.cache_dir).rstrip("/"),
        "CERTIFICATE": certificate,
        "CERTIFICATE_KEY": certificate_key,
        "SESSION_COOKIE": site.session_cookie,
        "MESSAGES_COOKIE": site.messages_cookie,
        "LANGUAGE_COOKIE": site.language_cookie,
    }
    for name, value in values.items():
        words = value.split(" ") if name in ("SERVER_NAME", "LISTEN") else [value]
        if not all(_SAFE.fullmatch(word) for word in words):
            raise NginxConfigError(f"{name.lower()} {value!r} cannot go into an nginx file as it is.")
    for name in ("VAR_DIR", "CACHE_DIR", "CERTIFICATE", "CERTIFICATE_KEY"):
        if not values[name].startswith("/"):
            raise NginxConfigError(f"{name.lower()} {values[name]!r} must be an absolute path.")
    if not site.upstreams:
        raise NginxConfigError("upstreams is empty: name at least one pressclub serve, e.g. 127.0.0.1:8000.")
    for name, value in [*(("UPSTREAM", upstream) for upstream in site.upstreams), ("PURGE_LISTEN", values["PURGE_LISTEN"])]:
        if not _SAFE.fullmatch(value) or not re.fullmatch(r"(\[[0-9a-fA-F:]+\]|[^:\[\]]+):\d{1,5}", value):
            raise NginxConfigError(f"{name.lower()} {value!r} must be host:port, e.g. 127.0.0.1:8000.")
    # A server that fails 3 times within 10 s is left out for 10 s; the others answer meanwhile.
    values["UPSTREAM_SERVERS"] = "\n".join(
        f"    server {upstream} max_fails=3 fail_timeout=10s;" for upstream in dict.fromkeys(site.upstreams)
    )

    if not all(re.fullmatch(r"[a-z]{2,3}", code) for code in site.languages):
        raise NginxConfigError(f"languages {site.languages!r} must be language codes such as 'en', 'ne'.")
    values.update(_language_blocks(site.languages))

    kept, dropped = ("#tls ", "#plain ") if site.tls else ("#plain ", "#tls ")
    lines = []
    for line in TEMPLATE.read_text(encoding="utf-8").splitlines():
        if line.startswith(kept):
            line = line[len(kept):]
        elif line.startswith(dropped):
            line = "# " + line[len(dropped):]
        lines.append(line)
    text = "\n".join(lines) + "\n"
    return re.sub(r"@([A-Z_]+)@", lambda match: values[match.group(1)], text)
