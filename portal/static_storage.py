"""WhiteNoise's compressed manifest storage, with each static URL worked out once.

`{% static %}` asks the storage for the hashed name and joins it to STATIC_URL on every
call (urljoin, a manifest lookup, quoting): nine calls on every page were a tenth of a
page served from cached parts. The manifest is read once when the process starts and
does not change while it runs (collectstatic runs before a deploy), so neither does a URL.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        found = self._urls.get(name)
        if found is None:
            found = self._urls[name] = super().url(name)  # an unknown name raises, and is not kept
        return found
