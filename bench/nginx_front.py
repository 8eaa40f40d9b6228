#!/usr/bin/env python
"""Measure the shipped nginx front: a page-cache hit against nginx serving the same bytes from a file.

Builds a small site under the production settings (SQLite, in a temporary directory): the nginx
test's story (``pressclub/core/tests/nginx_site.py``) with ``--comments`` approved comments, serves
it with ``pressclub serve`` behind the nginx site file of ``pressclub nginx-config``, inside a main
``nginx.conf`` shaped like Debian's (``sendfile``, ``tcp_nopush``, ``gzip on``, an access log,
``worker_processes auto``). A second ``server`` in the same nginx serves the very bytes of the
cached page from disk: plain as ``index.html``, gzipped as ``index.html.gz`` (``gzip_static``),
with the same gzip settings and, by default, nothing else: nginx as installed serving a file, the
anchor of DESIGN.md (``--file-open-file-cache`` gives it the site file's ``open_file_cache``
too, to compare like with like). Then wrk measures, back to back and alternating for ``--rounds``:

- "hit": the story through the site file, a page-cache hit (``X-Cache-Status: HIT``);
- "file": the same bytes from disk;

once without ``Accept-Encoding`` and once with ``Accept-Encoding: gzip``. It prints requests per
second (median of the rounds), bytes per response and the ratio hit / file, which DESIGN.md wants
at 0.9 or more. Needs Debian's nginx, libnginx-mod-http-cache-purge and wrk; runs as root or not;
stops everything it started and deletes its directory.

    .venv/bin/python bench/nginx_front.py [--comments 200] [--duration 10s] [--conns 32] [--threads 2]
        [--rounds 3] [--file-open-file-cache] [--template FILE]

``--template`` renders another template than ``pressclub/core/deploy/nginx.conf`` (same placeholders
and ``#tls``/``#plain`` marks), to try a change before making it. Compare ratios from one run:
absolute figures move with the machine's load.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pressclub.core import nginx  # noqa: E402  (plain Python: no Django needed)

SCRIPT = Path(sys.executable).with_name("pressclub")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
MIME_TYPES = Path("/etc/nginx/mime.types")

BUILD = """
import json
from pressclub.core.tests.nginx_site import build
from pressclub.news.models import ArticlePage
from pressclub.testing import factories
build({port})
story = ArticlePage.objects.get()
for n in range({comments}):
    factories.create_comment(story, body=f"Comment number {{n}}: the footbridge, the river and the school run.")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"{what} did not listen on {port} within {timeout} s")


def pressclub(*args: str, env: dict) -> str:
    result = subprocess.run([str(SCRIPT), *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    if result.returncode:
        raise SystemExit(f"pressclub {args[0]} failed: {result.stderr}")
    return result.stdout


def get(port: int, path: str, **headers: str) -> tuple[int, dict, bytes]:
    """GET ``path`` from 127.0.0.1:``port``; return (status, headers with lower-case names, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": f"127.0.0.1:{headers.pop('host_port', port)}", **headers})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def main_config(prefix: Path, site_file: Path, static_port: int, static_root: Path, file_cache: bool) -> str:
    """Return an nginx.conf shaped like Debian's, with the site file and a static server beside it
    (with ``file_cache``, the static server gets the site file's ``open_file_cache`` too)."""
    open_file_cache = "open_file_cache max=10000 inactive=60s;\n        open_file_cache_valid 30s;" if file_cache else ""
    user = "user root root;\n" if os.geteuid() == 0 else ""
    temp = "".join(f"    {kind}_temp_path {prefix / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""load_module {PURGE_MODULE};
{user}worker_processes auto;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include {MIME_TYPES};
    default_type application/octet-stream;
    access_log {prefix / "access.log"};
    gzip on;
{temp}    include {site_file};

    # The same bytes from disk, with the site file's gzip settings (precompressed copy beside it).
    server {{
        listen 127.0.0.1:{static_port};
        root {static_root};
        gzip_vary on;
        gzip_static on;
        gzip_proxied any;
        gzip_comp_level 5;
        gzip_min_length 256;
        {open_file_cache}
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
}}
"""


def cpu_seconds(master_pid: int) -> float:
    """Return the CPU time (user + system, seconds) nginx's worker processes have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def wrk(url: str, options: argparse.Namespace, headers: list[str], master_pid: int) -> tuple[float, float, float]:
    """Run wrk on ``url``; return (requests per second, bytes per response, nginx CPU µs per request)."""
    before = cpu_seconds(master_pid)
    command = ["wrk", f"-t{options.threads}", f"-c{options.conns}", f"-d{options.duration}"]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    read = re.search(r"requests in [\d.]+\w+, ([\d.]+)([KMG]?B) read", out)
    scale = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[read.group(2)]
    if "Non-2xx" in out or "Socket errors" in out:
        print(out)
    cpu = (cpu_seconds(master_pid) - before) * 1e6 / max(requests, 1)
    return rate, float(read.group(1)) * scale / max(requests, 1), cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--duration", default="10s")
    parser.add_argument("--conns", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--file-open-file-cache", action="store_true",
                        help="give the static server the site file's open_file_cache too (like for like)")
    parser.add_argument("--template", type=Path, help="render this template instead of the shipped one")
    options = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="pressclub-nginx-bench-"))
    var_dir, prefix, static_root = base / "var", base / "nginx", base / "static"
    for directory in (var_dir, prefix, static_root):
        directory.mkdir()
    app_port, nginx_port, purge_port, static_port = free_port(), free_port(), free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="pressclub.settings.production", SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1", PRESSCLUB_VAR_DIR=str(var_dir), PRESSCLUB_SECURE_SSL_REDIRECT="0",
        PRESSCLUB_TRUSTED_PROXIES="127.0.0.1", PRESSCLUB_CACHE_PURGE_URL=f"http://127.0.0.1:{purge_port}",
        PRESSCLUB_SERVE_MEDIA="0",
    )  # fmt: skip
    processes: list[subprocess.Popen] = []
    try:
        if options.template:
            nginx.TEMPLATE = options.template.resolve()
        site_file = prefix / "pressclub.conf"
        site_file.write_text(nginx.render_nginx_config(nginx.NginxSite(
            server_name="127.0.0.1", listen=f"127.0.0.1:{nginx_port}", upstreams=(f"127.0.0.1:{app_port}",),
            purge_listen=f"127.0.0.1:{purge_port}", cache_dir=str(prefix / "cache"), var_dir=str(var_dir),
        )))  # fmt: skip
        pressclub("migrate", "--verbosity", "0", env=env)
        built = pressclub("shell", "-c", BUILD.format(port=nginx_port, comments=options.comments), env=env)
        story = json.loads(built.strip().splitlines()[-1])["story"]
        (prefix / "nginx.conf").write_text(main_config(prefix, site_file, static_port, static_root,
                                                               options.file_open_file_cache))
        app = subprocess.Popen([str(SCRIPT), "serve", "--port", str(app_port), "--workers", "1", "--threads", "2"],
                               cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(app)
        server = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(server)
        wait_for(app_port, app, "pressclub serve")
        wait_for(nginx_port, server, "nginx")

        cases = {"identity": {}, "gzip": {"Accept-Encoding": "gzip"}}
        page_dir = static_root / story.strip("/")
        page_dir.mkdir(parents=True, exist_ok=True)
        for name, headers in cases.items():
            for _ in range(3):
                status, response_headers, body = get(nginx_port, story, **headers)
            if (status, response_headers.get("x-cache-status")) != (200, "HIT"):
                raise SystemExit(f"{name}: no cache hit: {status} {response_headers}")
            (page_dir / ("index.html.gz" if name == "gzip" else "index.html")).write_bytes(body)
            print(f"{name}: hit {len(body)} bytes, Content-Encoding {response_headers.get('content-encoding', '-')}, "
                  f"{len(response_headers)} headers")
        os.utime(page_dir / "index.html.gz", (time.time(), (page_dir / "index.html").stat().st_mtime))
        for name, headers in cases.items():
            _, _, hit = get(nginx_port, story, **headers)
            _, file_headers, from_file = get(static_port, story, host_port=static_port, **headers)
            if hit != from_file:
                raise SystemExit(f"{name}: the file's bytes differ from the hit's ({len(from_file)} vs {len(hit)})")

        print(f"\nwrk -t{options.threads} -c{options.conns} -d{options.duration}, {options.rounds} rounds "
              f"alternating; requests/s median (min-max); bytes per response")
        for name, headers in cases.items():
            header_args = [f"{k}: {v}" for k, v in headers.items()]
            runs = {"hit": [], "file": []}
            for _ in range(options.rounds):
                runs["hit"].append(wrk(f"http://127.0.0.1:{nginx_port}{story}", options, header_args, server.pid))
                runs["file"].append(wrk(f"http://127.0.0.1:{static_port}{story}", options, header_args, server.pid))
            for kind, results in runs.items():
                rates = [rate for rate, _, _ in results]
                cpus = [cpu for _, _, cpu in results]
                print(f"{name:9} {kind:4} {statistics.median(rates):8.0f} req/s ({min(rates):.0f}-{max(rates):.0f}), "
                      f"nginx CPU {statistics.median(cpus):5.1f} µs/request, {results[-1][1]:.0f} B/response")
            ratios = [h[0] / f[0] for h, f in zip(runs["hit"], runs["file"], strict=True)]
            cpu_ratio = statistics.median(f[2] for f in runs["file"]) / statistics.median(h[2] for h in runs["hit"])
            print(f"{name:9} hit/file: req/s {statistics.median(ratios):.2f} (rounds: "
                  f"{', '.join(f'{r:.2f}' for r in ratios)}); file CPU / hit CPU {cpu_ratio:.2f}")
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
