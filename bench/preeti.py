"""Measure the Preeti conversion and detector: speed on a long story, and how often each is right.

Usage: ``python bench/preeti.py``. Prints:
- exact conversions of the test sentences (``pressclub/core/tests/test_preeti.py``: each Preeti
  sentence against the Unicode one written with it);
- detection: Preeti sentences flagged, their Unicode forms and the English/URL/code samples not flagged;
- false alarms on the project's own text: lines of its .py/.html/.js/.css files and paragraphs of
  README.md that ``looks_like_preeti`` flags (the files that hold Preeti examples are left out);
- seconds to convert and to check a 10,000-word story built from the sentences' words (first
  conversion, with an empty word cache, and again).
"""

import os
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressclub.settings.test")

from pressclub.core import preeti  # noqa: E402
from pressclub.core.tests.test_preeti import ENGLISH, SENTENCES  # noqa: E402

OWN = {"core/tests/test_preeti.py", "news/tests/test_editor_preeti.py", "importers/tests/test_article_preeti.py",
       "core/preeti.py", "news/forms.py", "importers/article/forms.py"}


def main() -> None:
    exact = sum(preeti.preeti_to_unicode(p) == u for p, u in SENTENCES)
    print(f"conversion: {exact} of {len(SENTENCES)} sentences exact")
    found = sum(preeti.looks_like_preeti(p) for p, _ in SENTENCES)
    quiet = sum(not preeti.looks_like_preeti(u) for _, u in SENTENCES) + sum(not preeti.looks_like_preeti(t) for t in ENGLISH)
    print(f"detection: {found} of {len(SENTENCES)} Preeti sentences flagged; "
          f"{quiet} of {len(SENTENCES) + len(ENGLISH)} Unicode/English/URL/code samples not flagged")
    lines = flagged = 0
    for pattern in ("*.py", "*.html", "*.js", "*.css"):
        for path in (REPO / "pressclub").rglob(pattern):
            if path.relative_to(REPO / "pressclub").as_posix() in OWN:
                continue
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.strip():
                    lines += 1
                    flagged += preeti.looks_like_preeti(line)
    paragraphs = [p for p in (REPO / "README.md").read_text(encoding="utf-8").split("\n\n") if p.strip()]
    readme = sum(preeti.looks_like_preeti(p) for p in paragraphs)
    print(f"false alarms: {flagged} of {lines} source lines, {readme} of {len(paragraphs)} README paragraphs")
    words = [w for p, _ in SENTENCES for w in p.split()]
    story = " ".join(random.Random(1).choice(words) for _ in range(10_000))
    preeti._convert_word.cache_clear()
    for label in ("first", "again"):
        start = time.perf_counter()
        preeti.preeti_to_unicode(story)
        print(f"convert 10,000 words ({label}): {time.perf_counter() - start:.3f} s")
    start = time.perf_counter()
    preeti.looks_like_preeti(story)
    print(f"detect on 10,000 words: {time.perf_counter() - start:.4f} s")


if __name__ == "__main__":
    main()
