"""core.memo reads the configuration generation once per request, and again after a change."""

from unittest import mock

import pytest
from django.core.signals import request_finished, request_started

from core import memo

pytestmark = pytest.mark.django_db


@pytest.fixture
def reads():
    with mock.patch.object(memo, "_read_generation", side_effect=lambda key=memo.GENERATION_KEY: "g1") as read:
        yield read


def test_a_request_reads_the_generation_once(reads):
    request_started.send(sender=None)
    try:
        assert memo.memoised("a", lambda: 1) == 1 and memo.memoised("b", lambda: 2) == 2
        assert memo.generation() == "g1"
        assert reads.call_count == 1
    finally:
        request_finished.send(sender=None)
    memo.generation()
    memo.generation()
    assert reads.call_count == 3  # outside a request (a task, a command): every time, as before


def test_a_change_made_by_the_request_reads_it_again(reads):
    request_started.send(sender=None)
    try:
        memo.generation()
        with mock.patch.object(memo, "_bump"):
            memo.forget()
        memo.generation()
        assert reads.call_count == 2
    finally:
        request_finished.send(sender=None)


def test_without_the_shared_cache_a_request_keeps_asking(reads):
    reads.side_effect = lambda key=memo.GENERATION_KEY: None
    request_started.send(sender=None)
    try:
        assert memo.memoised("a", lambda: 1) == 1
        memo.generation()
        assert reads.call_count == 2
    finally:
        request_finished.send(sender=None)
