"""gunicorn.conf.py: each worker, once it has loaded the portal, freezes what it loaded."""

import gc
import runpy
from pathlib import Path

from django.conf import settings


def test_a_worker_freezes_what_it_has_loaded():
    conf = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        conf["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
