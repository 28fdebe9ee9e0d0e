"""Where production serves the static files from (whitenoise's compressed, hashed copies)."""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's storage, remembering each file's address once worked out.

    The manifest of hashed names is read once, when the process starts, so a file's address
    cannot change while it runs; yet Django works it out afresh for every `{% static %}`, and
    every page has seven in its layout (issue 7: a sixth of the project page's rendering)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._addresses: dict[str, str] = {}

    def url(self, name: str, force: bool = False) -> str:
        if force or settings.DEBUG:  # DEBUG serves the files unhashed, as they change
            return super().url(name, force)
        address = self._addresses.get(name)
        if address is None:
            address = self._addresses[name] = super().url(name)
        return address
