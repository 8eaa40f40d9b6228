"""Reader-facing URLs of the news app (included by pressclub/urls.py before Wagtail's catch-all).

Slugs use ``<segment:…>`` (``core.converters``): Django's ``slug`` converter refuses Devanagari and
Bengali vowel signs, and its ``str`` lets a NUL character through, which PostgreSQL refuses in a
lookup (a server error instead of a 404).
"""

from django.urls import path, re_path, register_converter
from wagtail.contrib.sitemaps.views import sitemap

from pressclub.core.cache import cacheable_view as cached
from pressclub.core.converters import PathSegmentConverter

from . import feeds, views
from .sitemaps import SITEMAPS, sitemap_index

register_converter(PathSegmentConverter, "segment")

urlpatterns = [
    path("label/<segment:slug>/", cached(views.label_detail), name="label_detail"),
    path("authors/<segment:slug>/", cached(views.author_detail), name="author_detail"),
    re_path(r"^(?P<year>[0-9]{4})/$", cached(views.archive_year), name="archive_year"),
    re_path(r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$", cached(views.archive_month), name="archive_month"),
    path("feeds/rss/", cached(feeds.ArticleFeed()), name="feed_rss"),
    path("feeds/atom/", cached(feeds.ArticleAtomFeed()), name="feed_atom"),
    path("feeds/section/<segment:slug>/rss/", cached(feeds.SectionFeed()), name="section_feed_rss"),
    path("feeds/section/<segment:slug>/atom/", cached(feeds.SectionAtomFeed()), name="section_feed_atom"),
    path("feeds/label/<segment:slug>/rss/", cached(feeds.LabelFeed()), name="label_feed_rss"),
    path("feeds/label/<segment:slug>/atom/", cached(feeds.LabelAtomFeed()), name="label_feed_atom"),
    path("feeds/author/<segment:slug>/rss/", cached(feeds.AuthorFeed()), name="author_feed_rss"),
    path("feeds/author/<segment:slug>/atom/", cached(feeds.AuthorAtomFeed()), name="author_feed_atom"),
    path("corrections/", cached(views.corrections_list), name="corrections"),
    path("corrections/feed/rss/", cached(feeds.CorrectionFeed()), name="corrections_feed_rss"),
    path("corrections/feed/atom/", cached(feeds.CorrectionAtomFeed()), name="corrections_feed_atom"),
    path("news-sitemap.xml", cached(views.news_sitemap), name="news_sitemap"),
    path("favicon.ico", views.favicon, name="favicon"),
    # The index names each page of 1,000 URLs (/sitemap-pages.xml, /sitemap-pages.xml?p=2 …) and the
    # news sitemap (news.sitemaps).
    path("sitemap.xml", cached(sitemap_index), name="sitemap"),
    path("sitemap-<section>.xml", cached(sitemap), {"sitemaps": SITEMAPS, "template_name": "news/sitemap.xml"},
         name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
