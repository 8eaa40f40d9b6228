"""Blogger import: a pure streaming parser (``parser``) and the importer that fills the site (``importer``)."""
