"""The WSGI entry a gunicorn worker imports (config/wsgi.py)."""

import gc
import importlib


def test_a_worker_keeps_its_start_up_out_of_the_collectors_full_passes():
    """What start-up made is frozen (gc.freeze): the collector's full passes, which walked all of it now and then
    inside a request (~70 ms of one request in ten at a province's dashboard), skip it; collection itself stays on."""
    gc.unfreeze()
    try:
        wsgi = importlib.reload(importlib.import_module("config.wsgi"))
        assert callable(wsgi.application)
        assert gc.get_freeze_count() > 10_000
        assert gc.isenabled()
    finally:
        gc.unfreeze()
