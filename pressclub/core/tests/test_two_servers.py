"""Two app servers, one site: two ``pressclub serve`` and one ``pressclub worker`` on PostgreSQL, Redis
and a local S3 endpoint (moto's server mode), all through their real network ports.

Each server has a ``var/`` directory of its own, so nothing they share is on disk: an editor signs
in on server 1 and her session works on server 2; she uploads a photo in server 1's admin and
schedules a draft story with it; the worker publishes the story and both servers show it with the
same image addresses, whose bytes come from the object storage; a comment approved on server 2
leaves server 1's cached copy of its story at once. The test prints what it measured.

It runs with the suite on PostgreSQL (``DATABASE_URL=postgres://…``, as ``.ci/run`` does), beside
the suite's database in one of its own, and against the Redis of ``PRESSCLUB_TEST_REDIS_URL``
(default ``redis://127.0.0.1:6379/1``, emptied first). Skipped without PostgreSQL, Redis or moto
(failing instead under ``CI=true`` when Redis does not answer).
"""

import http.client
import io
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tarfile
import time
import uuid
from html import unescape
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import lxml.html
import pytest
from PIL import Image as PILImage

from pressclub.testing.redis_server import REDIS_URL, redis_or_skip

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[3]
SCRIPT = Path(sys.executable).with_name("pressclub")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "pressclub.cli"]
BUCKET = "news-media"
COMMENT = "The bridge will save us an hour."


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, log: Path, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited with {process.returncode}: {log.read_text()[-3000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"{what} did not listen on {port} within {timeout} s")


def _pressclub(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run([*COMMAND, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
                            check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


class Reader:
    """A browser that may talk to any server: one cookie jar, requests counted per port.

    Cookies are kept whatever their ``Secure`` flag (the servers run the production settings, which
    mark them so, behind no HTTPS here) and sent to every server, as a browser does behind one host.
    """

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.answered: dict[int, int] = {}

    def request(self, port: int, path: str, *, method: str = "GET", body: bytes | None = None,
                headers: dict[str, str] | None = None, cookies: bool = True):
        """Send a request to 127.0.0.1:``port``; return (status, headers with lower-case names, body bytes)."""
        headers = dict(headers or {})
        if cookies and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie" and cookies:
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            self.answered[port] = self.answered.get(port, 0) + 1
            return response.status, {k.lower(): v for k, v in response.getheaders()}, content
        finally:
            connection.close()

    def form(self, port: int, path: str, form_id: str | None = None) -> list[tuple[str, str]]:
        """GET ``path`` and return the (name, value) pairs its form (the one with ``form_id``, else the
        first POST form) would send, StreamField blocks included as Wagtail's script writes them."""
        status, _, content = self.request(port, path)
        assert status == 200, (path, status)
        document = lxml.html.fromstring(content)
        form = document.get_element_by_id(form_id) if form_id else document.xpath("//form[@method='post']")[0]
        values = list(form.form_values())
        for block in form.xpath(".//div[@data-block][@data-w-block-arguments-value]"):
            prefix, children = block.get("id"), json.loads(block.get("data-w-block-arguments-value"))[0]
            values.append((f"{prefix}-count", str(len(children))))
            for i, child in enumerate(children):
                values += [(f"{prefix}-{i}-type", child["type"]), (f"{prefix}-{i}-value", child["value"]),
                           (f"{prefix}-{i}-id", child["id"]), (f"{prefix}-{i}-deleted", ""),
                           (f"{prefix}-{i}-order", str(i))]
        return values

    def post(self, port: int, path: str, fields: list[tuple[str, str]], files=()):
        """POST ``fields`` (and ``files``: (name, filename, bytes, type)) to ``path``, as multipart when there are files."""
        if not files:
            return self.request(port, path, method="POST", body=urlencode(fields).encode(),
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n{v}\r\n'.encode()
                 for n, v in fields]
        for name, filename, data, content_type in files:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                         f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(port, path, method="POST", body=body,
                            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Start moto's S3, two servers and a worker on a fresh PostgreSQL database; yield what the steps need."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("runs with the suite on PostgreSQL (DATABASE_URL=postgres://…)")
    moto_server = pytest.importorskip("moto.server")
    boto3 = pytest.importorskip("boto3")
    psycopg = pytest.importorskip("psycopg")
    store = redis_or_skip()
    store.flushdb()

    parts = urlsplit(url)
    database = f"{parts.path.lstrip('/')}_two_servers"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')

    s3_port, ports = _free_port(), (_free_port(), _free_port())
    s3 = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port, verbose=False)
    s3.start()
    base = tmp_path_factory.mktemp("two-servers")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DJANGO_SETTINGS_MODULE="pressclub.testing.settings_two_servers", SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1", PRESSCLUB_SECURE_SSL_REDIRECT="0", PRESSCLUB_VAR_DIR=str(base / "setup"),
        DATABASE_URL=urlunsplit(parts._replace(path=f"/{database}")), REDIS_URL=REDIS_URL,
        PRESSCLUB_MEDIA_STORAGE_URL=f"s3://{BUCKET}/site", AWS_S3_ENDPOINT_URL=f"http://127.0.0.1:{s3_port}",
        AWS_ACCESS_KEY_ID="pressclub", AWS_SECRET_ACCESS_KEY="pressclub-secret", AWS_DEFAULT_REGION="us-east-1",
        PRESSCLUB_BASE_URL=f"http://127.0.0.1:{ports[0]}", PRESSCLUB_LOG_LEVEL="ERROR",
    )
    client = boto3.client("s3", endpoint_url=env["AWS_S3_ENDPOINT_URL"], region_name="us-east-1",
                          aws_access_key_id="pressclub", aws_secret_access_key="pressclub-secret")
    client.create_bucket(Bucket=BUCKET)
    # Readers fetch pictures straight from the bucket: anyone may read the images, nothing else.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": [f"arn:aws:s3:::{BUCKET}/site/images/*", f"arn:aws:s3:::{BUCKET}/site/original_images/*"],
    }]}))
    processes, logs = [], []
    try:
        _pressclub("migrate", "--verbosity", "0", env=env)
        built = json.loads(_pressclub(
            "shell", "-c", "from pressclub.core.tests.two_servers_site import build; build()", env=env
        ).strip().splitlines()[-1])
        # Each process has a var/ directory of its own: what they share must come from the services.
        commands = [("server1", ["serve", "--port", str(ports[0]), "--workers", "1", "--threads", "2"]),
                    ("server2", ["serve", "--port", str(ports[1]), "--workers", "1", "--threads", "2"]),
                    ("worker", ["worker"])]
        for name, args in commands:
            logs.append(base / f"{name}.log")
            with logs[-1].open("w") as log:
                processes.append(subprocess.Popen([*COMMAND, *args], cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                                                  env={**env, "PRESSCLUB_VAR_DIR": str(base / name)}))
        for port, process, log in zip(ports, processes, logs, strict=False):
            _wait_for(port, process, log, f"pressclub serve on {port}")
        yield {"ports": ports, "s3_port": s3_port, "built": built, "client": client, "base": base,
               "worker_log": logs[-1], "env": env, "database": database,
               "connect": lambda: psycopg.connect(admin_url, autocommit=True)}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        s3.stop()
        store.flushdb()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _photo() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 450), (40, 90, 160)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _image_sources(page: bytes) -> list[str]:
    """Return every address in the page's <picture> elements (srcset and src), in order."""
    found = []
    for picture in re.findall(rb"<picture>.*?</picture>", page, re.S):
        for attribute in re.findall(rb'(?:srcset|src)="([^"]+)"', picture):
            found += [unescape(candidate.strip().split(" ")[0]) for candidate in attribute.decode().split(",")]
    return found


def test_two_servers_share_sessions_media_purges_and_the_schedule(cluster):
    one, two = cluster["ports"]
    built, client = cluster["built"], cluster["client"]
    desk, reader = Reader(), Reader()

    # An anonymous reader's copy of the story is kept by each server (the shared page cache).
    assert reader.request(one, built["story"])[0] == 200
    status, headers, page = reader.request(one, built["story"], cookies=False)
    assert (status, headers["x-page-cache"], COMMENT.encode() in page) == (200, "hit", False)

    # Signed in on server 1, the editor is signed in on server 2.
    fields = desk.form(one, "/accounts/login/")
    status, headers, _ = desk.post(one, "/accounts/login/", [
        *[(n, v) for n, v in fields if n not in ("login", "password")],
        ("login", built["email"]), ("password", built["password"])])
    assert (status, headers.get("location")) == (302, "/")
    status, _, dashboard = desk.request(two, "/admin/")
    assert (status, b"News Desk" in dashboard) == (200, True)

    # Approved on server 2 (the e-mailed approve link): server 1 serves the story afresh at once.
    fields = desk.form(two, built["approve"])
    status, headers, _ = desk.post(two, built["approve"], fields)
    approved = time.perf_counter()
    assert (status, headers["location"]) == (302, "/admin/comments/")
    status, headers, page = reader.request(one, built["story"], cookies=False)
    fresh_ms = (time.perf_counter() - approved) * 1000
    assert (status, headers["x-page-cache"], COMMENT.encode() in page) == (200, "miss", True)

    # A photo uploaded in server 1's admin goes to the bucket, not to server 1's disk.
    # (What the admin's upload page sends for each file chosen.)
    assert desk.request(one, "/admin/images/add/")[0] == 200
    status, _, answer = desk.post(one, "/admin/images/multiple/add/", [
        ("csrfmiddlewaretoken", desk.cookies["csrftoken"]), ("title", "Night bus at Prithvi Highway")],
        files=[("files[]", "night-bus.jpg", _photo(), "image/jpeg")])
    assert (status, json.loads(answer)["success"]) == (200, True)
    image_id = json.loads(answer)["image_id"]
    assert client.head_object(Bucket=BUCKET, Key="site/original_images/night-bus.jpg")["ContentLength"] > 0
    assert not any((cluster["base"] / "server1").rglob("night-bus*"))

    # Scheduled on server 1 with that photo, a few seconds ahead; the worker publishes it.
    assert reader.request(two, built["draft"], cookies=False)[0] == 404
    edit = f"/admin/pages/{built['draft_id']}/edit/"
    go_live = time.time() + 4
    fields = [(n, v) for n, v in desk.form(one, edit, "page-edit-form") if n not in ("lead_image", "go_live_at")]
    fields += [("lead_image", str(image_id)), ("lead_image_alt", "The night bus at a tea stop"),
               ("go_live_at", time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(go_live))),
               ("action-publish", "action-publish")]
    status, headers, page = desk.post(one, edit, fields)
    assert status == 302, re.findall(rb'class="error-message"[^>]*>(.*?)<', page)[:5]
    shown = {}
    deadline = time.monotonic() + 90
    while len(shown) < 2 and time.monotonic() < deadline:
        for port in (one, two):
            if port not in shown:
                status, _, page = reader.request(port, built["draft"], cookies=False)
                if status == 200:
                    shown[port] = (time.time() - go_live, page)
        time.sleep(0.2)
    assert sorted(shown) == sorted((one, two)), cluster["worker_log"].read_text()[-3000:]
    sources = {port: _image_sources(page) for port, (_, page) in shown.items()}
    assert sources[one] == sources[two]
    assert len(sources[one]) == 10  # 3 <source> srcsets of 360, 720, 800 px and the <img> src
    storage = f"http://127.0.0.1:{cluster['s3_port']}/{BUCKET}/site/images/"
    assert all(source.startswith(storage) for source in sources[one]), sources[one]

    fetched = fetched_bytes = 0
    for source in dict.fromkeys(sources[one]):
        status, headers, data = reader.request(cluster["s3_port"], urlsplit(source).path, cookies=False)
        key = urlsplit(source).path.removeprefix(f"/{BUCKET}/")
        assert (status, data) == (200, client.get_object(Bucket=BUCKET, Key=key)["Body"].read())
        assert headers["cache-control"] == "public, max-age=31536000, immutable"
        fetched, fetched_bytes = fetched + 1, fetched_bytes + len(data)
    assert fetched == 9

    print(
        f"\ntwo servers: requests answered: server 1 {desk.answered.get(one, 0) + reader.answered.get(one, 0)}, "
        f"server 2 {desk.answered.get(two, 0) + reader.answered.get(two, 0)}; "
        f"images served from object storage: {fetched} "
        f"({fetched_bytes} bytes); "
        f"approval on server 2 to the fresh page on server 1: {fresh_ms:.1f} ms; "
        f"scheduled story live on server 1 / 2 after its go-live time: "
        f"{shown[one][0]:.1f} s / {shown[two][0]:.1f} s"
    )


def test_backup_and_restore_carry_the_media_in_the_bucket(cluster):
    """``pressclub backup`` copies every object of the site's prefix into the archive; ``restore`` puts
    them into another (empty) prefix, beside an empty database."""
    client, base = cluster["client"], cluster["base"]
    client.put_object(Bucket=BUCKET, Key="site/original_images/ward-office.jpg", Body=_photo())
    env = {**cluster["env"], "PRESSCLUB_VAR_DIR": str(base / "backup")}
    archive = base / "site.tar.gz"
    _pressclub("backup", str(archive), env=env)

    def keys(prefix):
        return sorted(item["Key"].removeprefix(prefix) for item in
                      client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", []))

    with tarfile.open(archive) as tar:
        archived = sorted(name.removeprefix("media/") for name in tar.getnames() if name.startswith("media/"))
        assert tar.extractfile("media/original_images/ward-office.jpg").read() == _photo()
    assert archived == keys("site/")
    assert "original_images/ward-office.jpg" in archived

    restored_database = f"{cluster['database']}_restored"
    with cluster["connect"]() as conn:
        conn.execute(f'CREATE DATABASE "{restored_database}"')
    try:
        url = urlsplit(env["DATABASE_URL"])
        _pressclub("restore", str(archive), env={
            **env, "DATABASE_URL": urlunsplit(url._replace(path=f"/{restored_database}")),
            "PRESSCLUB_MEDIA_STORAGE_URL": f"s3://{BUCKET}/restored"})
    finally:
        with cluster["connect"]() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{restored_database}" WITH (FORCE)')
    assert keys("restored/") == archived
    assert client.get_object(Bucket=BUCKET, Key="restored/original_images/ward-office.jpg")["Body"].read() == _photo()
