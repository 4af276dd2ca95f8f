"""The WSGI application, with every view module imported up front.

Django imports the URLconf (and with it every view, the API and its schemas) on the first
request. Under load that first request of each gunicorn worker took longer than gunicorn's
timeout, so the worker was killed, its replacement had the same slow first request, and so on
(found by benchmarks/write_load.py). Importing the URLconf here, with `serve` running gunicorn
with --preload, does the work once in the master before the workers are forked.

Then everything loaded is frozen out of the garbage collector (`gc.freeze()`): those objects live
as long as the process, yet each full collection walked all of them, some 300,000 objects at
130 ms, and stopped every thread of the worker meanwhile. That was the tail of the load
benchmark's latencies (benchmarks/RESULTS.md); frozen, a full collection takes a few ms. Frozen
in the master, they also stay shared with the workers rather than copied on write.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mineralstrategi.config.settings")

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view now
# No connection may cross the fork into the workers (none should be open; be sure).
connections.close_all()
gc.collect()
gc.freeze()
