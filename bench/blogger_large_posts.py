"""Measure the Blogger import's peak memory on an export of very large posts (issue: hostile files).

Generates a Takeout ``feed.atom`` of ``--posts`` posts of about ``--post-mb`` MB each (300 MB by
default: 30 posts of 10 MB). Every other post carries one inline ``data:image/png;base64,…`` image
(random pixels, so it does not compress) with a paragraph before and after it; the others are
10 MB of paragraphs (English and Nepali). Each post has three comments. ``--gzip`` writes
``feed.atom.gz`` instead.

Then imports the file into a fresh temporary SQLite database and prints the elapsed time, the peak
resident set size of the process (``resource.getrusage``) and what the report says. Budget: peak
under 500 MB, no post lost (every post imported or listed in the report with its id).

    .venv/bin/python bench/blogger_large_posts.py [--posts 30] [--post-mb 10] [--gzip] [--keep DIR]
"""

import argparse
import base64
import gzip
import io
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
BLOG = "tag:blogger.com,1999:blog-888"
WORDS = "council ward road bridge school monsoon budget member club press report hill valley market".split()
NEPALI = "नगरपालिका सडक पुल विद्यालय बजेट सदस्य पत्रकार बैठक समिति".split()


def _png(rng: random.Random, size_bytes: int) -> bytes:
    """Return a PNG of random pixels of about ``size_bytes`` bytes (noise does not compress)."""
    from PIL import Image

    side = int((size_bytes / 3) ** 0.5)
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def _paragraphs(rng: random.Random, size_bytes: int) -> str:
    parts, total = [], 0
    while total < size_bytes:
        words = NEPALI if len(parts) % 4 == 3 else WORDS
        paragraph = "<p>" + " ".join(rng.choice(words) for _ in range(60)) + ".</p>\n"
        parts.append(paragraph)
        total += len(paragraph.encode())
    return "".join(parts)


def generate(path: Path, *, posts: int, post_mb: float, seed: int = 20261206) -> None:
    """Write the export (gzipped when ``path`` ends in ``.gz``); see the module docstring."""
    rng = random.Random(seed)
    size = int(post_mb * 1_000_000)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as out:
        out.write("<?xml version='1.0' encoding='utf-8'?>\n")
        out.write("<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>\n")
        out.write(f"  <id>{BLOG}</id>\n  <title>Large Posts Desk</title>\n")
        for p in range(posts):
            if p % 2 == 0:
                data = base64.b64encode(_png(rng, size * 3 // 4 - 20_000)).decode()
                html = (
                    f"<p>Photo {p} from the valley.</p><p><img src=\"data:image/png;base64,{data}\" "
                    f"alt=\"Valley {p}\"></p><p>After the photo {p}.</p>"
                )
            else:
                html = _paragraphs(rng, size) + f"<p>End of story {p}.</p>"
            stamp = f"2015-{1 + p % 12:02d}-{1 + p % 28:02d}T10:00:00.000Z"
            out.write(
                f"  <entry>\n    <id>{BLOG}.post-p{p}</id>\n    <blogger:type>POST</blogger:type>\n"
                f"    <blogger:status>LIVE</blogger:status>\n"
                f"    <author><name>Author {p % 3}</name></author>\n"
                f"    <title>Large story {p}</title>\n    <content type='html'>"
            )
            out.write(escape(html))
            del html
            out.write(
                f"</content>\n    <published>{stamp}</published>\n    <updated>{stamp}</updated>\n"
                f"    <category term='Large'/>\n    <blogger:filename>/2015/{1 + p % 12:02d}/large-{p}.html"
                f"</blogger:filename>\n  </entry>\n"
            )
            for c in range(3):
                out.write(
                    f"  <entry>\n    <id>{BLOG}.post-c{p}-{c}</id>\n    <blogger:parent>{BLOG}.post-p{p}</blogger:parent>\n"
                    f"    <blogger:type>COMMENT</blogger:type>\n    <blogger:status>LIVE</blogger:status>\n"
                    f"    <author><name>Reader {c}</name></author>\n"
                    f"    <content type='html'>Comment {c} on story {p}.</content>\n"
                    f"    <published>{stamp}</published>\n    <updated>{stamp}</updated>\n  </entry>\n"
                )
        out.write("</feed>\n")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=30)
    parser.add_argument("--post-mb", type=float, default=10)
    parser.add_argument("--gzip", action="store_true", help="write and import feed.atom.gz")
    parser.add_argument("--keep", help="directory to write the export to and keep (reused when present)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pressclub-bench-") as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        export = folder / ("feed.atom.gz" if args.gzip else "feed.atom")
        if not export.exists():
            started = time.perf_counter()
            generate(export, posts=args.posts, post_mb=args.post_mb)
            print(f"generated in {time.perf_counter() - started:.1f} s")
        print(f"export: {export.name}, {export.stat().st_size / 1e6:.1f} MB on disk")

        sys.path.insert(0, str(ROOT))
        os.environ["DJANGO_SETTINGS_MODULE"] = "pressclub.settings.test"
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        import django

        django.setup()
        from django.test.utils import override_settings

        # Images on disk, as in production (the test settings keep files in memory).
        override_settings(
            MEDIA_ROOT=f"{tmp}/media",
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        ).enable()
        from django.core.management import call_command
        from wagtail.models import Page, Site

        from pressclub.news.models import HomePage

        call_command("migrate", verbosity=0)
        root = Page.get_first_root_node()
        for child in root.get_children():
            child.delete()
        Site.objects.all().delete()
        home = root.add_child(instance=HomePage(title="Large Posts Desk", slug="home"))
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)

        from pressclub.importers.services import blogger_import

        rss_before = _rss_mb()
        started = time.perf_counter()
        report = blogger_import(source=export)
        elapsed = time.perf_counter() - started
        peak = _rss_mb()
        print(f"import: {elapsed:.1f} s; peak RSS {peak:.0f} MB (process before import: {rss_before:.0f} MB)")
        print(f"  posts {report.posts}, comments {report.comments}, images {report.images}, "
              f"skipped {len(report.skipped)}")
        for entry_id, reason in report.skipped:
            print(f"  skipped {entry_id}: {reason[:160]}")
        ok = peak < 500 and report.posts + len(report.skipped) >= args.posts
        print("within budget (< 500 MB, no post lost):", "yes" if ok else "NO")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
