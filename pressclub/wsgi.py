"""WSGI entry point (``pressclub serve`` runs it under granian)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressclub.settings.dev")
application = get_wsgi_application()
