#!/usr/bin/env python
"""Weigh reader pages as a 360 px phone fetches them: bytes of HTML, CSS and images, raw and compressed.

Builds a throw-away site (test settings, in-memory SQLite, in-memory media) with
``article_page.build_site``: the fixture-like article with 200 approved comments, whose lead image
is replaced by a photo-like 1600×1200 JPEG; a story without comments with that lead image and three
body images; and the front page. Each page is fetched as an anonymous reader; its stylesheets are
read from the static files and minified as collectstatic ships them; for every ``<picture>`` or
``<img>`` the phone takes the first ``<source>`` type it reads (AVIF, like Chrome) and, from its
``srcset``, the narrowest candidate at least as wide as the image's ``sizes`` at 360 CSS px (its
last, unconditioned length: "96px", "100vw" or "calc(100vw - 2rem)") × ``--dpr``. Images
below the first one are lazy: fetched as the reader scrolls, counted apart. HTML is compressed as a
browser gets a page-cache copy (Brotli 11; gzip 5 beside it, for browsers without Brotli) and CSS
as the shipped nginx front sends it (gzip 5); images go as they are.

    .venv/bin/python bench/page_weight.py [--dpr 2]
"""

import argparse
import gzip
import os
import re
import sys
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressclub.settings.test")
os.environ.pop("DATABASE_URL", None)

import brotli  # noqa: E402
import django  # noqa: E402

django.setup()

from article_page import PARAGRAPH, build_site  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.files.images import ImageFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from lxml import html as lxml_html  # noqa: E402
from photo_renditions import photo_like  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402

from pressclub.core.renditions import image_renditions_make  # noqa: E402
from pressclub.core.static_storage import css_minify  # noqa: E402

PHONE_CSS_PX = 360
ACCEPTED_TYPES = ("image/avif", "image/webp", "image/jpeg", None)


def photo(title: str, size=(1600, 1200)):
    """Return a stored Wagtail image of a photo-like JPEG of ``size``, with its reader renditions made."""
    out = BytesIO()
    photo_like(size).save(out, "JPEG", quality=90)
    image = get_image_model().objects.create(title=title, file=ImageFile(out, name=f"{title}.jpg"))
    image_renditions_make(image)
    return image


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=5))


def br(data: bytes) -> int:
    return len(brotli.compress(data, mode=brotli.MODE_TEXT, quality=settings.PRESSCLUB_BROTLI_QUALITY_KEPT))


def pick(srcset: str, need: int) -> str:
    """Return the URL a browser takes from ``srcset`` ("url 360w, …") for ``need`` device pixels."""
    candidates = sorted((int(part.split()[1][:-1]), part.split()[0]) for part in srcset.split(", "))
    return next((url for width, url in candidates if width >= need), candidates[-1][1])


def css_px(sizes: str | None) -> float:
    """Return the width in CSS px that ``sizes`` gives on a 360 px phone (its last length; 100vw without one).

    Understands "Npx", "100vw" and "calc(100vw - Nrem)" (1rem = 16 px); raise ValueError for others.
    """
    length = (sizes or "100vw").rsplit(", ", 1)[-1].strip()
    if match := re.fullmatch(r"(\d+)px", length):
        return float(match.group(1))
    if length == "100vw":
        return float(PHONE_CSS_PX)
    if match := re.fullmatch(r"calc\(100vw - ([\d.]+)rem\)", length):
        return PHONE_CSS_PX - float(match.group(1)) * 16
    raise ValueError(f"sizes length not understood: {length!r}")


def image_urls(doc, dpr: float) -> list[str]:
    """Return the image URLs a phone of ``dpr`` fetches for ``doc``, in page order."""
    urls = []
    for img in doc.iter("img"):
        picture = next((a for a in img.iterancestors() if a.tag == "picture"), None)
        options = [(s.get("type"), s.get("srcset")) for s in picture.iter("source")] if picture is not None else []
        options.append((None, img.get("srcset") or f"{img.get('src')} 1w"))
        chosen = next(srcset for kind, srcset in options if kind in ACCEPTED_TYPES)
        urls.append(pick(chosen, round(css_px(img.get("sizes")) * dpr)))
    return urls


def media_bytes(url: str) -> int:
    name = url.removeprefix(settings.MEDIA_URL)
    return default_storage.size(name) if default_storage.exists(name) else 0


def weigh(client, url: str, dpr: float) -> dict:
    """Return ``{"html": (raw, br, gz), "css": (raw, gz), "lead": bytes, "lazy": bytes, "images": n}``."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content
    doc = lxml_html.fromstring(html)
    css = "".join(
        css_minify(Path(finders.find(href.removeprefix(settings.STATIC_URL))).read_text(encoding="utf-8"))
        for href in doc.xpath("//link[@rel='stylesheet']/@href")
    ).encode()
    sizes = [media_bytes(u) for u in image_urls(doc, dpr)]
    return {"html": (len(html), br(html), gz(html)), "css": (len(css), gz(css)), "lead": sum(sizes[:1]),
            "lazy": sum(sizes[1:]), "images": len(sizes)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dpr", type=float, default=2.0, help="device pixel ratio of the phone (default 2)")
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        article = build_site(200)
        article.lead_image = photo("bridge")
        article.save_revision().publish()
        story = article.get_parent().add_child(instance=type(article)(
            title="Three photographs from the market", lead_image=article.lead_image,
            lead_image_alt="The market at dawn",
            body=[("paragraph", PARAGRAPH)] + [
                ("image", {"image": photo(f"market-{n}"), "alt_text": f"Stall {n}", "caption": "", "credit": ""})
                for n in range(3)
            ] + [("paragraph", PARAGRAPH)],
        ))
        story.save_revision().publish()
        client = Client()
        rows = [("article, 200 comments", article.url), ("story, 3 body images", story.url), ("front page", "/")]
        print(f"360 px phone at {args.dpr:g}x; bytes raw / Brotli-11 (gzip-5) for HTML, raw / gzip-5 for CSS")
        print(f"{'page':24} {'HTML':>22} {'CSS':>13} {'lead image':>10} {'lazy images':>14} {'total on wire':>13}")
        for label, url in rows:
            w = weigh(client, url, args.dpr)
            total = w["html"][1] + w["css"][1] + w["lead"] + w["lazy"]
            html = f"{w['html'][0]:,}/{w['html'][1]:,} ({w['html'][2]:,})"
            print(f"{label:24} {html:>22} {w['css'][0]:>6,}/{w['css'][1]:<6,} "
                  f"{w['lead']:>10,} {w['lazy']:>8,} ({w['images'] - 1 if w['images'] else 0}) {total:>13,}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
