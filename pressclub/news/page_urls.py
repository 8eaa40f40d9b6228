"""Serve pages whose slugs hold combining marks (included after Wagtail's own URLs).

Wagtail matches page paths with ``[\\w\\-]+``, and Python's ``\\w`` leaves out combining marks, so
"प्रेस-क्लब-की-बैठक" (vowel signs, virama) neither routes nor reverses there. This pattern takes
any path segment; Wagtail's view still answers 404 for paths that name no page. It shares the
name ``wagtail_serve`` so ``Page.url`` reverses through it when Wagtail's pattern refuses the path.
"""

from django.urls import re_path

from pressclub.core import routing

# No NUL character: no page has one in its path, and PostgreSQL refuses it in the lookup.
urlpatterns = [re_path(r"^((?:[^/\x00]+/)*)$", routing.serve, name="wagtail_serve")]
