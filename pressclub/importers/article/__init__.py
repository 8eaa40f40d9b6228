"""Wire-story import: a news page's HTML in, a draft syndicated ``ArticlePage`` out.

``extract`` is pure (bytes in, a ``WireStory`` dataclass out); ``services.article_import`` maps the
story to a draft page; ``admin_views`` and the ``import_article`` command are thin callers.
"""
