"""Static files as the site ships them: the reader theme's stylesheets minified, then hashed and compressed.

``MinifiedManifestStaticFilesStorage`` is WhiteNoise's ``CompressedManifestStaticFilesStorage``
(content-hashed names, gzip and Brotli copies) that first minifies the reader's own stylesheets with
rcssmin: the theme's comments explain it to its maintainers and cost every first-time reader about a
fifth of the stylesheet's compressed bytes. Only files under ``MINIFIED_PREFIXES`` (pressclub's
``static/css/``) are touched; Wagtail's and other apps' files are copied as they come.
"""

from django.core.files.base import ContentFile
from rcssmin import cssmin
from whitenoise.storage import CompressedManifestStaticFilesStorage

MINIFIED_PREFIXES = ("css/",)


def css_minify(text: str) -> str:
    """Return the stylesheet ``text`` without comments and needless white space (rcssmin)."""
    return cssmin(text)


class MinifiedManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, compressed storage, minifying pressclub's stylesheets before hashing them."""

    def post_process(self, paths, dry_run=False, **options):
        """Minify the collected copies of the reader's ``.css`` files, then hash and compress as WhiteNoise does.

        ``paths`` maps each collected name to ``(source storage, source path)``; a minified file is read
        from this storage's copy from then on, so its hash and its gzip/Brotli copies are of the
        minified bytes.
        """
        if not dry_run:
            paths = dict(paths)
            for name in paths:
                if name.endswith(".css") and name.startswith(MINIFIED_PREFIXES):
                    with self.open(name) as handle:
                        text = handle.read().decode("utf-8")
                    self.delete(name)
                    self._save(name, ContentFile(css_minify(text).encode("utf-8")))
                    paths[name] = (self, name)
        yield from super().post_process(paths, dry_run, **options)
