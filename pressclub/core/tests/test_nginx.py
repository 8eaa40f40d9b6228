"""The shipped nginx site file (``pressclub nginx-config``), rendered and run.

The slow tests start Debian's nginx, unprivileged in a temporary prefix, with the rendered file in
front of ``pressclub serve`` on a temporary SQLite site; they are skipped when nginx or its
cache-purge module is missing, and fail instead under ``CI=true`` (``.ci/run`` installs both).
"""

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import zlib
from email.utils import formatdate
from pathlib import Path

import brotli
import pytest

from pressclub.core.nginx import NginxConfigError, NginxSite, render_nginx_config

REPO = Path(__file__).resolve().parents[3]
SCRIPT = Path(sys.executable).with_name("pressclub")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
MIME_TYPES = Path("/etc/nginx/mime.types")


def test_render_fills_every_placeholder_and_keeps_tls_commented():
    text = render_nginx_config(NginxSite(server_name="news.example.org", var_dir="/srv/pc/var"))
    assert re.findall(r"@[A-Z_]+@", text) == []
    assert "    server_name news.example.org;\n" in text
    assert "    listen 80;\n" in text
    assert "#     listen 443 ssl http2;\n" in text
    assert "#     ssl_certificate /etc/letsencrypt/live/news.example.org/fullchain.pem;\n" in text
    assert "        alias /srv/pc/var/media/;\n" in text
    assert "        proxy_cache_bypass $cookie_sessionid $cookie_messages $pressclub_language_bypass;\n" in text
    assert "    listen 127.0.0.1:6081;\n" in text


def test_render_shares_requests_among_every_app_server():
    text = render_nginx_config(NginxSite(server_name="news.example.org",
                                         upstreams=("10.0.0.11:8000", "10.0.0.12:8000", "10.0.0.11:8000")))
    assert "upstream pressclub_app {\n    server 10.0.0.11:8000 max_fails=3 fail_timeout=10s;\n" \
           "    server 10.0.0.12:8000 max_fails=3 fail_timeout=10s;\n    keepalive 16;\n}\n" in text


def test_command_takes_the_app_servers_from_the_setting_or_the_option(settings, capsys):
    from django.core.management import call_command

    settings.PRESSCLUB_APP_SERVERS = ["10.0.0.11:8000", "10.0.0.12:8000"]
    call_command("nginx_config", "--server-name", "news.example.org", "--var-dir", "/srv/pc/var")
    assert re.findall(r"\n    server (\S+) max_fails", capsys.readouterr().out) == ["10.0.0.11:8000", "10.0.0.12:8000"]
    call_command("nginx_config", "--server-name", "news.example.org", "--var-dir", "/srv/pc/var",
                 "--upstream", "127.0.0.1:8121,127.0.0.1:8122", "--upstream", "127.0.0.1:8123")
    assert re.findall(r"\n    server (\S+) max_fails", capsys.readouterr().out) == [
        "127.0.0.1:8121", "127.0.0.1:8122", "127.0.0.1:8123"]


def test_render_with_tls_redirects_plain_http():
    text = render_nginx_config(NginxSite(server_name="news.example.org", tls=True, certificate="/etc/ssl/n.pem",
                                         certificate_key="/etc/ssl/n.key"))
    assert "    location / { return 301 https://$host$request_uri; }\n" in text
    assert "    listen 443 ssl http2;\n    listen [::]:443 ssl http2;\n" in text
    assert "    ssl_certificate /etc/ssl/n.pem;\n    ssl_certificate_key /etc/ssl/n.key;\n" in text
    assert "#     listen 80;\n" in text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("server_name", "news.example.org;", "server_name 'news.example.org;' cannot go into an nginx file as it is."),
        ("var_dir", "var", "var_dir 'var' must be an absolute path."),
        ("upstreams", ("127.0.0.1",), "upstream '127.0.0.1' must be host:port, e.g. 127.0.0.1:8000."),
        ("upstreams", ("127.0.0.1:8000;",), "upstream '127.0.0.1:8000;' must be host:port, e.g. 127.0.0.1:8000."),
        ("upstreams", (), "upstreams is empty: name at least one pressclub serve, e.g. 127.0.0.1:8000."),
        ("cache_dir", "/var/cache/my cache", "cache_dir '/var/cache/my cache' cannot go into an nginx file as it is."),
    ],
)
def test_render_refuses_a_value_that_would_break_the_file(field, value, message):
    site = NginxSite(**{"server_name": "news.example.org", field: value})
    with pytest.raises(NginxConfigError) as excinfo:
        render_nginx_config(site)
    assert str(excinfo.value) == message


# --- nginx in front of pressclub serve ---


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited with {process.returncode}: {process.stderr.read()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not listen on {port} within {timeout} s")


def _pressclub(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run([str(SCRIPT), *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


class Front:
    """Requests to nginx at ``port``, with the Host header a reader's browser sends."""

    def __init__(self, port: int, purge_port: int):
        self.port, self.purge_port = port, purge_port
        self.host = f"127.0.0.1:{port}"

    def get(self, path: str, *, method: str = "GET", port: int | None = None, **headers: str):
        """Send ``method`` for ``path``; return (status, headers with lower-case names, body)."""
        connection = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=30)
        try:
            connection.request(method, path, headers=headers)
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()


def _nginx_main_config(prefix: Path, site_file: Path) -> str:
    user = "user root root;\n" if os.geteuid() == 0 else ""
    temp = "".join(f"    {kind}_temp_path {prefix / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (
        f"load_module {PURGE_MODULE};\n{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\nevents {{ worker_connections 64; }}\n"
        f"http {{\n    include {MIME_TYPES};\n    access_log off;\n{temp}    include {site_file};\n}}\n"
    )


@pytest.fixture(scope="module")
def nginx():
    """Skip when Debian's nginx or its cache-purge module is missing (fail instead under CI=true)."""
    missing = [str(p) for p in (Path(NGINX), PURGE_MODULE, MIME_TYPES) if not p.exists()]
    if missing:
        reason = f"nginx with its cache-purge module is needed ({', '.join(missing)} missing): " \
                 "apt-get install nginx libnginx-mod-http-cache-purge"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def front(nginx, tmp_path_factory):
    """Serve a small site through nginx; yield (Front, the site builder's JSON, var_dir, environment)."""
    base = tmp_path_factory.mktemp("front")
    var_dir, prefix = base / "var", base / "nginx"
    var_dir.mkdir()
    prefix.mkdir()
    app_port, nginx_port, purge_port = _free_port(), _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="pressclub.settings.production", SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1", PRESSCLUB_VAR_DIR=str(var_dir), PRESSCLUB_SECURE_SSL_REDIRECT="0",
        PRESSCLUB_TRUSTED_PROXIES="127.0.0.1", PRESSCLUB_CACHE_PURGE_URL=f"http://127.0.0.1:{purge_port}",
    )
    _pressclub("migrate", "--verbosity", "0", env=env)
    built = json.loads(_pressclub(
        "shell", "-c", f"from pressclub.core.tests.nginx_site import build; build({nginx_port})", env=env
    ).strip().splitlines()[-1])

    site_file = prefix / "pressclub.conf"
    site_file.write_text(_pressclub(
        "nginx-config", "--server-name", "127.0.0.1", "--listen", f"127.0.0.1:{nginx_port}",
        "--upstream", f"127.0.0.1:{app_port}", "--purge-listen", f"127.0.0.1:{purge_port}",
        "--cache-dir", str(prefix / "cache"), env=env,
    ))
    (prefix / "nginx.conf").write_text(_nginx_main_config(prefix, site_file))
    app = subprocess.Popen([str(SCRIPT), "serve", "--port", str(app_port), "--workers", "1", "--threads", "2"],
                           cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    nginx = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(app_port, app, "pressclub serve")
        _wait_for(nginx_port, nginx, "nginx")
        yield Front(nginx_port, purge_port), built, var_dir, env
    finally:
        for process in (nginx, app):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _twice(front: Front, path: str, **headers: str):
    first = front.get(path, **headers)
    return first, front.get(path, **headers)


@pytest.mark.slow
def test_anonymous_page_is_served_from_the_cache_the_second_time(front):
    front, _, _, _ = front
    (status1, headers1, body1), (status2, headers2, body2) = _twice(front, "/local/")
    assert (status1, headers1["x-cache-status"]) == (200, "MISS")
    assert (status2, headers2["x-cache-status"]) == (200, "HIT")
    assert body2 == body1


@pytest.mark.slow
def test_member_always_reaches_the_site_and_sees_her_name(front):
    front, built, _, _ = front
    cookie = f"sessionid={built['session']}"
    for _ in range(2):
        status, headers, body = front.get("/", Cookie=cookie)
        assert (status, headers["x-cache-status"]) == (200, "BYPASS")
        assert b">Sunita Rai</a>" in body
    # Her pages never filled the shared copy.
    status, headers, body = front.get("/")
    assert (status, headers["x-cache-status"]) == (200, "MISS")
    assert b"Sunita Rai" not in body
    assert b">Sign in</a>" in body


@pytest.mark.slow
def test_approving_a_comment_purges_the_story(front):
    front, built, _, env = front
    gzip = {"Accept-Encoding": "gzip, deflate"}
    (_, headers1, body1), (_, headers2, body2) = _twice(front, built["story"])
    assert (headers1["x-cache-status"], headers2["x-cache-status"]) == ("MISS", "HIT")
    assert b"The bridge will save us an hour." not in body2
    (_, headers1, _), (_, headers2, body2) = _twice(front, built["story"], **gzip)
    assert (headers1["x-cache-status"], headers2["x-cache-status"]) == ("MISS", "HIT")
    assert b"The bridge will save us an hour." not in zlib.decompress(body2, wbits=31)
    _pressclub("shell", "-c", f"from pressclub.core.tests.nginx_site import approve; approve({built['comment']})",
               env=env)
    # Both kept copies went: the plain one and the gzipped one browsers get.
    status, headers, body = front.get(built["story"])
    assert (status, headers["x-cache-status"]) == (200, "MISS")
    assert b"The bridge will save us an hour." in body
    for expected in ("MISS", "HIT"):  # and the copy kept anew is the one read on the next hit
        status, headers, body = front.get(built["story"], **gzip)
        assert (status, headers["x-cache-status"], headers["content-encoding"]) == (200, expected, "gzip")
        assert b"The bridge will save us an hour." in zlib.decompress(body, wbits=31)
    # Wagtail logs an error for a purge that fails; one of a page nobody had asked for succeeds.
    assert front.get("/never-cached/", method="PURGE", port=front.purge_port, Host=front.host)[:1] == (200,)


@pytest.mark.slow
def test_host_keeps_its_port_in_links(front):
    front, built, _, _ = front
    _, _, body = front.get(built["story"])
    canonical = re.search(rb'<link rel="canonical" href="([^"]+)"', body).group(1).decode()
    assert canonical == f"http://{front.host}{built['story']}"
    # nginx tells the site the scheme it was reached by, whatever a client claims.
    _, _, body = front.get(f"{built['story']}?proto", **{"X-Forwarded-Proto": "https"})
    canonical = re.search(rb'<link rel="canonical" href="([^"]+)"', body).group(1).decode()
    assert canonical == f"http://{front.host}{built['story']}"


@pytest.mark.slow
def test_media_and_static_files_come_from_disk(front):
    front, built, var_dir, _ = front
    _, _, body = front.get(built["story"])
    rendition = re.search(rb'src="(/media/images/[^"]+)"', body).group(1).decode()
    status, headers, content = front.get(rendition)
    on_disk = var_dir / rendition.removeprefix("/")
    stat = on_disk.stat()
    assert status == 200
    assert content == on_disk.read_bytes()
    # A rendition's name changes with its picture: no validators or ranges, no trip to the cache.
    assert headers["cache-control"] == "max-age=31536000, immutable"
    assert headers["server"] == "nginx"
    assert [name for name in ("etag", "accept-ranges", "x-cache-status") if name in headers] == []
    assert headers["last-modified"] == formatdate(stat.st_mtime, usegmt=True)
    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', body).group(1).decode()
    status, headers, _ = front.get(stylesheet, **{"Accept-Encoding": "gzip"})
    assert (status, headers["content-encoding"]) == (200, "gzip")
    assert headers["cache-control"] == "max-age=31536000, immutable"
    assert [name for name in ("etag", "accept-ranges") if name in headers] == []


@pytest.mark.slow
def test_pages_are_compressed_on_the_wire(front):
    front, built, _, _ = front
    status, headers, body = front.get(built["story"], **{"Accept-Encoding": "gzip"})
    assert (status, headers["content-encoding"]) == (200, "gzip")
    assert body[:2] == b"\x1f\x8b"


@pytest.mark.slow
def test_tls_file_passes_nginx_own_check(nginx, tmp_path):
    """The HTTPS variant, with a throw-away certificate, is a file nginx accepts."""
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(certificate), "-days", "1", "-subj", "/CN=news.example.org"], check=True, capture_output=True)
    site_file = tmp_path / "pressclub.conf"
    site_file.write_text(render_nginx_config(NginxSite(
        server_name="news.example.org", var_dir=str(tmp_path), cache_dir=str(tmp_path / "cache"), tls=True,
        certificate=str(certificate), certificate_key=str(key),
    )))
    (tmp_path / "nginx.conf").write_text(_nginx_main_config(tmp_path, site_file))
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith("test is successful\n")



@pytest.mark.slow
def test_every_browser_shares_one_copy_per_encoding_and_a_purge_drops_them_all(front):
    front, built, _, _ = front
    path = f"{built['story']}?encodings"
    answers = [
        front.get(path, **headers)
        for headers in (
            {"Accept-Encoding": "gzip"},
            {"Accept-Encoding": "gzip, deflate"},
            {"Accept-Encoding": "gzip, deflate, br"},
            {"Accept-Encoding": "gzip, deflate, br, zstd", "Cookie": "csrftoken=abc"},  # any other cookie too
            {"Accept-Encoding": "br"},
            {},
            {"Accept-Encoding": "deflate"},
        )
    ]
    assert [(status, headers["x-cache-status"], headers.get("content-encoding")) for status, headers, _ in answers] == [
        (200, "MISS", "gzip"), (200, "HIT", "gzip"), (200, "MISS", "br"), (200, "HIT", "br"), (200, "HIT", "br"),
        (200, "MISS", None), (200, "HIT", None),
    ]  # fmt: skip
    assert answers[0][2] == answers[1][2] and answers[2][2] == answers[3][2] == answers[4][2]
    plain = answers[5][2]
    assert zlib.decompress(answers[0][2], wbits=31) == brotli.decompress(answers[2][2]) == plain == answers[6][2]
    assert len(answers[2][2]) < len(answers[0][2])
    assert {headers["vary"] for _, headers, _ in answers} == {"Accept-Encoding, Cookie, Accept-Language"}  # to browsers

    status, _, body = front.get(path, method="PURGE", port=front.purge_port, Host=front.host)
    assert (status, f"<br>Key : br::{front.host}{path}\r\n".encode() in body) == (200, True)

    for headers in ({"Accept-Encoding": "gzip, deflate, br"}, {"Accept-Encoding": "gzip"}, {}):
        assert front.get(path, **headers)[1]["x-cache-status"] == "MISS"


@pytest.mark.slow
def test_each_language_has_its_own_copy_and_a_purge_drops_them_all(front):
    front, built, _, _ = front
    path = f"{built['story']}?languages"
    readers = [
        ("chose Nepali", {"Cookie": "pressclub_language=ne"}, "ne"),
        ("chose Nepali again", {"Cookie": "pressclub_language=ne", "Accept-Language": "en"}, "ne"),
        ("Bengali phone", {"Accept-Language": "bn-IN,bn;q=0.9,en;q=0.8"}, "bn"),
        ("Bengali phone again", {"Accept-Language": "bn"}, "bn"),
        ("no preference", {}, "en"),
        ("French phone", {"Accept-Language": "fr-FR,fr;q=0.9"}, "en"),
        ("weighted first choice", {"Accept-Language": "en;q=0.5, hi"}, "hi"),
        ("unknown cookie", {"Cookie": "pressclub_language=xx"}, "en"),
    ]
    seen = []
    for _who, headers, _language in readers:
        status, answer, body = front.get(path, **headers)
        seen.append((status, answer["x-cache-status"], answer["content-language"]))
    assert seen == [
        (200, "MISS", "ne"), (200, "HIT", "ne"), (200, "MISS", "bn"), (200, "HIT", "bn"),
        (200, "MISS", "en"), (200, "HIT", "en"), (200, "BYPASS", "hi"), (200, "BYPASS", "en"),
    ]  # fmt: skip
    assert [language for _, _, language in readers] == [language for _, _, language in seen]

    assert front.get(path, method="PURGE", port=front.purge_port, Host=front.host)[0] == 200
    assert [front.get(path, **headers)[1]["x-cache-status"] for _, headers, _ in readers[::2][:3]] == [
        "MISS", "MISS", "MISS"
    ]
