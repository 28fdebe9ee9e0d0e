"""An email backend for the worker subprocess in test_worker_killed_mid_send."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    """Hangs on the first send, so the test can kill the worker mid-send; then writes files.

    The first send (no "started" marker in PORTAL_TEST_MAIL_DIR yet) writes the marker, holding
    the sending process's id, and blocks before writing anything. Later sends write each
    message to a file of its own in that folder.
    """

    def send_messages(self, messages) -> int:
        folder = Path(os.environ["PORTAL_TEST_MAIL_DIR"])
        try:
            with open(folder / "started", "x") as marker:
                marker.write(str(os.getpid()))
        except FileExistsError:
            pass
        else:
            time.sleep(60)
        for message in messages:
            (folder / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(messages)
