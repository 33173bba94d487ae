import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# What start-up made (Django, the apps and their modules: most of a worker's objects) lives as long as the worker. Kept
# out of the cyclic collector's full passes, which otherwise walk all of it now and then in the middle of a request
# (~70 ms added to about one request in ten of a province's dashboard, measured by scripts/bench).
gc.freeze()
