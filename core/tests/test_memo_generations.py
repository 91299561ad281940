"""core.memo's generations: one read of each per request, dropped by a change the request makes,
and the reference lists' generation apart from the configuration's (issue 12, third round)."""

import pytest
from django.core.signals import request_finished, request_started

from core import memo

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_reads(monkeypatch):
    reads = []
    real = memo.cache.get

    def get(key, *args, **kwargs):
        reads.append(key)
        return real(key, *args, **kwargs)

    monkeypatch.setattr(memo.cache, "get", get)
    return reads


def test_a_request_reads_each_generation_once(redis_reads):
    memo.generation(), memo.generation(memo.REFERENCE)  # both exist in the cache
    redis_reads.clear()
    request_started.send(sender=None)
    try:
        first = memo.generation(memo.REFERENCE)
        assert memo.generation(memo.REFERENCE) == first
        memo.generation()
        memo.generation()
        assert redis_reads.count(memo.REFERENCE) == 1
        assert redis_reads.count(memo.GENERATION_KEY) == 1
        memo.forget(key=memo.REFERENCE)  # the request changes a listed table: it reads the new rows
        assert memo.generation(memo.REFERENCE) != first
        assert memo.generation() is not None
        assert redis_reads.count(memo.GENERATION_KEY) == 1
    finally:
        request_finished.send(sender=None)
    memo.generation(memo.REFERENCE)
    memo.generation(memo.REFERENCE)  # outside a request (Celery, shell): every read asks the cache
    assert redis_reads.count(memo.REFERENCE) == 4  # 1, 1 after the change, then 2


def test_a_reference_change_keeps_the_configuration(team):
    """A team or CI save reloads the desk's lists, not the SLA definitions and routing rules."""
    from cmdb.models import CIClass

    memo.memoised("kept", lambda: "config")
    memo.memoised("kept", lambda: "lists", key=memo.REFERENCE)
    CIClass.objects.create(slug="printer", name="Printer")
    assert memo.memoised("kept", lambda: "reloaded") == "config"
    assert memo.memoised("kept", lambda: "reloaded", key=memo.REFERENCE) == "reloaded"
    team.name = "Renamed"
    team.save()  # routing rules name teams: both
    assert memo.memoised("kept", lambda: "again") == "again"


def test_a_new_generation_lets_go_of_what_the_old_one_kept():
    """A value per person (accounts' membership) must not pile up across generations."""
    for person in range(3):
        memo.memoised(f"person.{person}", lambda: "roles", key=memo.MEMBERSHIP)
    memo.forget(key=memo.MEMBERSHIP)
    memo.memoised("person.0", lambda: "new roles", key=memo.MEMBERSHIP)
    assert list(memo._held[memo.MEMBERSHIP][1]) == ["person.0"]


def test_a_first_read_of_the_membership_reads_the_others_with_it(redis_reads, monkeypatch):
    """A session's request reads its roles first: the lists' and the configuration's generations
    come in the same round trip (one MGET), and are then read no more."""
    many = []
    expected = {key: memo.generation(key) for key in (memo.MEMBERSHIP, memo.REFERENCE, memo.GENERATION_KEY)}
    # (The tests' cache answers get_many with one get per key, Redis with one MGET: here, what
    # the cache holds.)
    monkeypatch.setattr(memo.cache, "get_many", lambda keys, *a, **kw: many.append(keys) or {
        key: expected[key] for key in keys})
    redis_reads.clear()
    request_started.send(sender=None)
    try:
        assert {key: memo.generation(key) for key in expected} == expected
        assert memo.generation(memo.REFERENCE) == expected[memo.REFERENCE]
        assert len(many) == 1 and redis_reads == []
        memo.forget(key=memo.MEMBERSHIP)  # then read again, alone
        assert memo.generation(memo.MEMBERSHIP) != expected[memo.MEMBERSHIP]
        assert len(many) == 1 and redis_reads == [memo.MEMBERSHIP]
    finally:
        request_finished.send(sender=None)


def test_a_generation_the_batch_did_not_find_is_read_alone(redis_reads, monkeypatch):
    monkeypatch.setattr(memo.cache, "get_many", lambda keys, *a, **kw: {})
    request_started.send(sender=None)
    try:
        assert memo.generation(memo.MEMBERSHIP) is not None
        assert memo.generation(memo.REFERENCE) is not None
        assert redis_reads.count(memo.MEMBERSHIP) >= 1 and memo.REFERENCE in redis_reads
    finally:
        request_finished.send(sender=None)
