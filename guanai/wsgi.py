import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanai.settings")
application = get_wsgi_application()
# Every view imported now, as gunicorn boots the worker, not at its first request (1 to 2 s a
# worker: after a graceful restart the first users would wait for it).
get_resolver().url_patterns  # noqa: B018
