"""The shipped static storage: pressclub's stylesheets minified before they are hashed and compressed."""

import hashlib
import json

from django.core.management import call_command

from pressclub.core.static_storage import css_minify

SOURCE = "/* The masthead. */\n.mast {\n  border-bottom: 3px solid #1a1a1a;\n}\n"


def test_css_minify_drops_comments_and_spaces():
    assert css_minify(SOURCE) == ".mast{border-bottom:3px solid #1a1a1a}"


def test_collectstatic_minifies_our_stylesheet_and_hashes_the_minified_bytes(settings, tmp_path):
    source = tmp_path / "source"
    (source / "css").mkdir(parents=True)
    (source / "css" / "theme.css").write_text(SOURCE)
    (source / "vendor.css").write_text(SOURCE)
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "root"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "pressclub.core.static_storage.MinifiedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    root = tmp_path / "root"
    [hashed] = [p for p in (root / "css").glob("theme.*.css")]
    assert hashed.read_text() == ".mast{border-bottom:3px solid #1a1a1a}"
    minified = b".mast{border-bottom:3px solid #1a1a1a}"
    assert hashed.name == f"theme.{hashlib.md5(minified).hexdigest()[:12]}.css"  # Django's hash of the content
    manifest = json.loads((root / "staticfiles.json").read_text())
    assert manifest["paths"]["css/theme.css"] == f"css/{hashed.name}"
    assert (root / "css" / "theme.css").read_text() == ".mast{border-bottom:3px solid #1a1a1a}"
    # Outside pressclub's css/ folder files are copied as they are.
    [vendor] = [p for p in root.glob("vendor.*.css")]
    assert vendor.read_text() == SOURCE
