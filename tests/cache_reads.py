"""Records which page-cache parts a request reads, round trip by round trip."""

from django.core.cache import cache


def record_part_reads(monkeypatch) -> list[list[str]]:
    """From now on, each `cache.get_many` appends the names of the parts it read (not the
    generations read with them) to the list returned."""
    reads: list[list[str]] = []
    original = cache.get_many

    def get_many(keys, **kwargs):
        names = [key.split(":")[1] for key in keys if not key.startswith("page-cache:generation:")]
        reads.append(names)
        return original(keys, **kwargs)

    monkeypatch.setattr(cache, "get_many", get_many)
    return reads
