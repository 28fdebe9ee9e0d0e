"""The cache backend shares one redis-py client per connection pool (collab.redis_cache)."""

from django.core.cache import cache, caches

from collab.redis_cache import RedisCache


def test_the_portal_caches_in_redis_through_the_shared_client_backend():
    assert isinstance(caches["default"], RedisCache)


def test_every_call_gets_the_same_client_and_it_still_reads_and_writes():
    client = cache._cache.get_client("a-key")
    assert cache._cache.get_client("another-key", write=True) is client
    cache.set("redis-cache-test", {"trust": "SECAmb"}, 30)
    assert cache.get("redis-cache-test") == {"trust": "SECAmb"}
    assert cache.get_many(["redis-cache-test", "missing"]) == {
        "redis-cache-test": {"trust": "SECAmb"}
    }
