import threading

import pytest
from django.db import connection, transaction

from core.models import NumberSequence


def test_format_pads_to_seven_digits():
    assert NumberSequence.format("INC", 1001) == "INC0001001"


@pytest.mark.django_db
def test_first_number_is_1001_and_then_consecutive():
    # when
    with transaction.atomic():
        first = NumberSequence.allocate("TST")
        second = NumberSequence.allocate("TST")
    # then
    assert (first, second) == (1001, 1002)


@pytest.mark.django_db
def test_rolled_back_allocation_leaves_no_gap():
    # given
    with transaction.atomic():
        NumberSequence.allocate("GAP")
    # when
    with pytest.raises(RuntimeError), transaction.atomic():
        NumberSequence.allocate("GAP")
        raise RuntimeError("creation failed")
    # then
    with transaction.atomic():
        assert NumberSequence.allocate("GAP") == 1002


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocation_from_threads_is_unique_and_gapless():
    # given
    threads, per_thread, results, errors = 8, 25, [], []
    lock = threading.Lock()

    def worker():
        try:
            for _ in range(per_thread):
                with transaction.atomic():
                    value = NumberSequence.allocate("THR")
                with lock:
                    results.append(value)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    # when
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    # then
    assert errors == []
    assert sorted(results) == list(range(1001, 1001 + threads * per_thread))
