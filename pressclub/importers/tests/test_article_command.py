"""The import_article command: files, URLs (offline here), sections and clear errors."""

import gzip
import socket
import tracemalloc
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pressclub.importers import fetch
from pressclub.news.models import ArticlePage, SectionPage

FIXTURES = Path(__file__).parent / "fixtures" / "article"
WIRE = str(FIXTURES / "floods_wire.html")


def gzip_bomb(unpacked_mb: int) -> bytes:
    """Return a small .html.gz (about 1 KB per MB) that unpacks to ``unpacked_mb`` MB of one page."""
    packed = BytesIO()
    with gzip.GzipFile(fileobj=packed, mode="wb", compresslevel=9) as page:
        page.write(b"<html><body><p>")
        for _megabyte in range(unpacked_mb):
            page.write(b" " * (1024 * 1024))
    return packed.getvalue()


BOMB_REFUSAL = "The page unpacks to more than 10 MB; a news page is smaller, so it was not imported."


def public_info(address: str, port: int) -> tuple:
    """Return one ``socket.getaddrinfo`` entry for an IPv4 ``address``."""
    return (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))


def run(*args) -> str:
    out = StringIO()
    call_command("import_article", *args, stdout=out)
    return out.getvalue()


def test_file_import_prints_the_edit_url(section):
    output = run(WIRE)
    page = ArticlePage.objects.get()
    assert output.splitlines() == [
        "Headline: Floods Cut Off Hill Villages as Three Bridges Wash Away",
        "Bylines:  Mara Lind, Tomas Reyes, Helene Adhikari",
        "Outlet:   The Valley Ledger",
        "Section:  Local",
        "Note: The lead image was not copied into the image library: Could not fetch "
        "https://img.ledger.example.com/2026/07/seti-crossing-1024x683.jpg: the network is not used in tests. "
        "The draft shows it from the outlet's server until you choose an image.",
        f"Draft created; review and publish it at http://localhost/admin/pages/{page.pk}/edit/",
    ]
    assert not page.live


def test_section_option_takes_a_slug(section, home_page):
    home_page.add_child(instance=SectionPage(title="World", slug="world"))
    run(WIRE, "--section", "local")
    assert ArticlePage.objects.get().get_parent().slug == "local"


def test_unknown_section_lists_the_sections(section):
    with pytest.raises(CommandError) as caught:
        run(WIRE, "--section", "nowhere")
    assert str(caught.value) == "No section with the slug “nowhere”. Sections: local."


def test_missing_file(section):
    with pytest.raises(CommandError) as caught:
        run("no-such-page.html")
    assert str(caught.value) == "No such file: no-such-page.html"


def test_non_html_file_refused(section):
    source = str(FIXTURES / "notes.txt")
    with pytest.raises(CommandError) as caught:
        run(source)
    assert str(caught.value) == (
        f"{source}: No HTML markup found; expected a news page's HTML (.html or .html.gz)."
    )
    assert ArticlePage.objects.count() == 0


def test_second_import_names_the_existing_draft(section):
    run(WIRE)
    page = ArticlePage.objects.get()
    with pytest.raises(CommandError) as caught:
        run(WIRE)
    assert str(caught.value).endswith(f"Edit it at http://localhost/admin/pages/{page.pk}/edit/")
    assert ArticlePage.objects.count() == 1


def test_url_offline_gives_a_clear_error(section, monkeypatch):
    def unreachable(address, timeout, source_address=None):
        assert address == ("93.184.215.14", 443)
        assert timeout == 3.0
        raise OSError(101, "Network is unreachable")

    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, **kw: [public_info("93.184.215.14", port)])
    monkeypatch.setattr(socket, "create_connection", unreachable)
    with pytest.raises(CommandError) as caught:
        run("https://ledger.example.com/2026/07/14/floods.html", "--timeout", "3")
    assert str(caught.value) == (
        "Could not fetch https://ledger.example.com/2026/07/14/floods.html: [Errno 101] Network is unreachable. "
        "If this machine is offline, save the page as an .html file and import the file instead."
    )


def test_url_import_reads_the_page(section, monkeypatch):
    requested = []

    def serve(parts, *, address, timeout):
        requested.append((parts.geturl(), address, timeout))
        return fetch.HttpAnswer(status=200, reason="OK", location="", body=(FIXTURES / "blog_repost.html").read_bytes())

    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, **kw: [public_info("93.184.215.14", port)])
    monkeypatch.setattr(fetch, "request_page", serve)
    run("https://hillpress.example.org/2026/07/floods-cut-off-hill-villages.html")
    assert requested == [
        ("https://hillpress.example.org/2026/07/floods-cut-off-hill-villages.html", "93.184.215.14", 15.0)
    ]
    assert ArticlePage.objects.get().source_outlet == "Hill Press Club News"


def test_url_on_a_private_address_is_refused(section, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, **kw: [public_info("127.0.0.1", port)])
    with pytest.raises(CommandError) as caught:
        run("http://localhost:8000/admin/")
    assert str(caught.value) == (
        "pressclub fetches only public web addresses; localhost resolves to a private or local address."
    )
    assert ArticlePage.objects.count() == 0


def test_fetch_refuses_other_schemes():
    with pytest.raises(fetch.ArticleFetchError) as caught:
        fetch.fetch_page("file:///etc/passwd")
    assert str(caught.value) == "“file:///etc/passwd” is not an http(s) URL of a news page."


def test_a_directory_is_named_as_such(section, tmp_path):
    with pytest.raises(CommandError) as caught:
        run(str(tmp_path))
    assert str(caught.value) == f"{tmp_path} is a directory, not a news page's HTML file (.html or .html.gz)."


def test_usage_names_the_console_script(capsys):
    with pytest.raises(SystemExit):
        call_command("import_article", "--help")
    assert capsys.readouterr().out.startswith("usage: pressclub import-article [-h] [--section SECTION]")


def test_a_compressed_page_unpacking_past_10_mb_is_refused(section, tmp_path):
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip_bomb(64))
    assert bomb.stat().st_size < 100 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(CommandError) as caught:
            run(str(bomb))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(caught.value) == f"{bomb}: {BOMB_REFUSAL}"
    assert peak < 25 * 1024 * 1024  # unpacking stopped at the cap instead of holding 64 MB
    assert ArticlePage.objects.count() == 0


def test_a_compressed_page_from_a_url_unpacking_past_10_mb_is_refused(section, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, **kw: [public_info("93.184.215.14", port)])
    monkeypatch.setattr(
        fetch, "request_page", lambda parts, **kw: fetch.HttpAnswer(status=200, reason="OK", location="", body=gzip_bomb(11))
    )
    with pytest.raises(CommandError) as caught:
        run("https://ledger.example.com/floods.html.gz")
    assert str(caught.value) == f"https://ledger.example.com/floods.html.gz: {BOMB_REFUSAL}"
    assert ArticlePage.objects.count() == 0


def test_a_50_mb_file_is_refused_without_being_read(section, tmp_path):
    page = tmp_path / "huge.html"
    with page.open("wb") as huge:
        huge.write(b"<html><body><p>")
        huge.truncate(50 * 1024 * 1024)  # a sparse file: 50 MB long, nothing written to disk
    tracemalloc.start()
    try:
        with pytest.raises(CommandError) as caught:
            run(str(page))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(caught.value) == f"{page}: the file is larger than 10 MB; a news page is smaller."
    assert peak < 1024 * 1024
    assert ArticlePage.objects.count() == 0
