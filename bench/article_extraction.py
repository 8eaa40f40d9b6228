"""Measure wire-story extraction on real news pages: the benchmark's shingle F1, token F1, headlines.

Usage: ``python bench/article_extraction.py [--data DIR] [--only-shipped]``. DIR (default: the
``PRESSCLUB_ARTICLE_DATA`` environment variable, else ``shared/data/articles`` beside the repository
checkout) holds ``html/<id>.html.gz`` pages and ``ground-truth.json`` (``{id: {"articleBody": str,
"url": str}}``), as in Scrapinghub's article-extraction-benchmark; the shared folder has 125 of its
181 pages. ``--only-shipped`` skips the favor_precision/favor_recall variants (a third of the time).

The benchmark's own metric (``quality.shingle_match`` / ``quality.shingle_scores``, implemented from
the description of its ``evaluate.py``): tokens are runs of word characters (case kept), shingles every run
of 4 tokens; per page tp/fp/fn are the shared/extra/missing shingles divided by their sum; precision
and recall are means over pages and F1 is their harmonic mean; accuracy is the share of pages whose
token sequence equals the reference's. Its published table (all 181 pages) is the yardstick:
rs_trafilatura and Zyte AutoExtract 0.970, trafilatura 2.0.0 0.958, readability-lxml 0.922.

Body-text token F1 (``pressclub.importers.article.quality.token_f1``): both texts are
NFKC-normalised and case-folded, then cut into tokens — maximal runs of Unicode letters (L*), marks
(M*) and numbers (N*); everything else separates tokens; each Han/Hiragana/Katakana/Thai/Lao/Khmer/
Myanmar character is a token by itself, since those scripts put no spaces between words. With the
token multisets P (extracted) and R (reference), overlap = |P ∩ R|, precision = overlap/|P|,
recall = overlap/|R|, F1 = 2PR/(P+R); an empty extraction scores 0. The mean is over pages.

Compared on the same pages:
- "plain": ``trafilatura.extract(html)`` with its defaults (the page decoded as UTF-8);
- "ours": ``extract_story(html_bytes, source_url=url).reader_text`` with the shipped options: the
  story as the article page shows it, the dateline taken out of the lede ("KATHMANDU, Nov 3
  (Reuters) —") printed before the body;
- "ours, precision" / "ours, recall": ours with ``favor_precision`` / ``favor_recall`` instead.

Headline exact match: the ground truth has no headline, so the reference is taken from the page
itself — the text of its only non-empty ``<h1>``, else its ``og:title``, else its ``<title>``
(whitespace collapsed). A match is string equality after collapsing whitespace. Since ours prefers a
visible ``<h1>``, pages with one ``<h1>`` match partly by construction; the figure mostly shows
whether site names ("… | ZDNet") and blog-name ``<h1>``s are kept out. trafilatura's own title
(``bare_extraction(..., with_metadata=True).title``) is scored against the same reference.
"""

import argparse
import gzip
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressclub.settings.test")

import lxml.html  # noqa: E402
import trafilatura  # noqa: E402

from pressclub.importers.article import extract as extract_module  # noqa: E402
from pressclub.importers.article.quality import shingle_match, shingle_scores, token_f1  # noqa: E402
from pressclub.testing.data import SHARED_DATA  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("PRESSCLUB_ARTICLE_DATA") or SHARED_DATA / "articles")
VARIANTS = {
    "ours": dict(extract_module.TRAFILATURA_OPTIONS),
    "ours, precision": {"favor_precision": True, "favor_recall": False},
    "ours, recall": {"favor_precision": False, "favor_recall": True},
}


def reference_headline(html: bytes) -> str:
    """Return the page's own headline: its only non-empty <h1>, else og:title, else <title>."""
    tree = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(encoding="utf-8"))
    heads = [" ".join(h1.text_content().split()) for h1 in tree.xpath("//h1")]
    heads = [head for head in heads if head]
    if len(heads) == 1:
        return heads[0]
    og_title = tree.xpath('//meta[@property="og:title"]/@content')
    if og_title and og_title[0].strip():
        return " ".join(og_title[0].split())
    return " ".join(" ".join(tree.xpath("//title//text()")).split())


def ours(html: bytes, url: str, options: dict):
    """Return (story or None, seconds) with trafilatura ``options`` in place of the shipped ones."""
    saved = dict(extract_module.TRAFILATURA_OPTIONS)
    extract_module.TRAFILATURA_OPTIONS.clear()
    extract_module.TRAFILATURA_OPTIONS.update(options)
    started = time.perf_counter()
    try:
        story = extract_module.extract_story(html, source_url=url)
    except extract_module.ArticleExtractionError:
        story = None
    finally:
        extract_module.TRAFILATURA_OPTIONS.clear()
        extract_module.TRAFILATURA_OPTIONS.update(saved)
    return story, time.perf_counter() - started


def main() -> int:
    """Print the per-page table and the summary; return 2 when the data folder is missing."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with html/ and ground-truth.json")
    parser.add_argument("--only-shipped", action="store_true", help="measure only plain trafilatura and ours")
    args = parser.parse_args()
    truth_file = args.data / "ground-truth.json"
    if not truth_file.is_file():
        print(f"No ground truth at {truth_file}", file=sys.stderr)
        return 2
    import django

    django.setup()
    logging.disable(logging.WARNING)  # trafilatura logs every page it finds thin
    truth = json.loads(truth_file.read_text(encoding="utf-8"))

    variants = {"ours": VARIANTS["ours"]} if args.only_shipped else VARIANTS
    scores: dict[str, list[float]] = {"plain": [], **{name: [] for name in variants}}
    shingles: dict[str, list] = {name: [] for name in scores}
    headline_hits = {"plain": 0, "ours": 0}
    times: list[float] = []
    print(f"{'page':<10} {'plain F1':>9} {'ours F1':>8} {'shingle F1':>11} {'ms':>5}  headline match (plain/ours)")
    for page_id, item in sorted(truth.items()):
        raw = (args.data / "html" / f"{page_id}.html.gz").read_bytes()
        html = gzip.decompress(raw)
        reference, text = item["articleBody"], html.decode("utf-8", errors="replace")
        plain_text = trafilatura.extract(text) or ""
        scores["plain"].append(token_f1(plain_text, reference))
        shingles["plain"].append(shingle_match(plain_text, reference))
        for name, options in variants.items():
            story, seconds = ours(raw, item["url"], options)
            scores[name].append(token_f1(story.reader_text if story else "", reference))
            shingles[name].append(shingle_match(story.reader_text if story else "", reference))
            if name == "ours":
                times.append(seconds)
                ours_headline = story.headline if story else ""
        expected = reference_headline(html)
        plain_title = " ".join((trafilatura.bare_extraction(text, with_metadata=True).title or "").split())
        plain_hit, ours_hit = plain_title == expected, ours_headline == expected
        headline_hits["plain"] += plain_hit
        headline_hits["ours"] += ours_hit
        page_shingles = shingle_scores(shingles["ours"][-1:])
        print(
            f"{page_id[:8]:<10} {scores['plain'][-1]:>9.3f} {scores['ours'][-1]:>8.3f} {page_shingles['f1']:>11.3f}"
            f" {times[-1] * 1000:>5.0f}"
            f"  {'yes' if plain_hit else 'no':>3}/{'yes' if ours_hit else 'no':<3} {expected[:60]!r}"
        )

    pages = len(truth)
    print()
    print(f"the benchmark's metric over {pages} pages (string shingles, as its evaluate.py)")
    print(f"{'extractor':<18} {'precision':>9} {'recall':>7} {'F1':>6} {'accuracy':>8}")
    for name, matches in shingles.items():
        summary = shingle_scores(matches)
        print(
            f"{name:<18} {summary['precision']:>9.4f} {summary['recall']:>7.4f} {summary['f1']:>6.4f}"
            f" {summary['accuracy']:>8.3f}"
        )
    print()
    print(f"token F1 over {pages} pages")
    print(f"{'extractor':<18} {'mean F1':>8} {'median':>7} {'min':>6}")
    for name, values in scores.items():
        print(f"{name:<18} {statistics.mean(values):>8.4f} {statistics.median(values):>7.3f} {min(values):>6.3f}")
    print()
    print(f"headline exact match: plain trafilatura {headline_hits['plain']}/{pages}, ours {headline_hits['ours']}/{pages}")
    print(f"ours: {statistics.mean(times) * 1000:.0f} ms per page on average, {max(times) * 1000:.0f} ms at most")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
