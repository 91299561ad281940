"""The shared cache (Redis), with one client object per connection pool instead of one per call.

Django's RedisCacheClient builds a `redis.Redis` for every cache call; building it (its
response callbacks, its options) cost more CPU than the GET itself: issue 12's profile of an API
create showed three cache reads (the configuration generation twice, the webhooks' patterns)
at ~7 % of the request, most of it in `Redis.__init__`. A client is thread-safe and takes its
connections from the pool, which already lives as long as the process, so keeping the client
with it changes nothing else.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _Client(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client
