import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gerai.settings")
application = get_wsgi_application()

from gerai.core import running  # noqa: E402  (settings must be loaded first)

running.hold()  # `manage.py restore` refuses while any web worker lives
