"""Settings of ``pressclub demo``: the development settings with DEBUG off, as a reader would meet the site.

With DEBUG off the demo shows the site's own error pages (404, 500, …) instead of Django's debug
pages. Static files come straight from the apps (WhiteNoise's finders, so no ``collectstatic``), and
media through the site's own ``/media/`` route (``PRESSCLUB_SERVE_MEDIA``). Warnings and errors,
tracebacks included, go to the terminal the demo runs in.
"""

from .dev import *  # noqa: F403

DEBUG = False
WHITENOISE_USE_FINDERS = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {"django": {"handlers": ["stderr"], "level": "WARNING", "propagate": False}},
}
