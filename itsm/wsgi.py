import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")
application = get_wsgi_application()

# What is loaded by now (settings, apps, models) lives as long as the worker: frozen, the garbage
# collector stops rescanning it at every full collection. Issue 12 measured those collections on
# API creates: ~115 ms pauses every ~300 requests, 0.6-0.9 ms a create on average; frozen, ~25 ms
# pauses and 0.58 ms.
gc.freeze()
# A young collection runs every 700 container objects allocated and not freed, and an API list
# leaves several hundred in reference cycles (DRF's serializers and fields, the request and its
# response), so one ran at nearly every list, promoting whatever was alive then to be traversed
# again in the older generations. Every 10,000: one young collection in ~15 lists, fewer
# promotions (issue 12, seventh round: ~0.1 ms of a list's ~0.3-0.5 ms in the collector).
gc.set_threshold(10_000, 10, 10)
