"""URL path converters shared by the reader apps."""

from django.urls.converters import StringConverter


class PathSegmentConverter(StringConverter):
    """One path segment: any text without ``/`` and without a NUL character (``%00``).

    Like Django's ``str`` converter, so Unicode slugs with vowel signs and viramas match; but a
    NUL never reaches a view, where a lookup with it fails on PostgreSQL ("A string literal cannot
    contain NUL"): such a URL matches no pattern and is answered 404 without a traceback.
    """

    regex = "[^/\x00]+"
