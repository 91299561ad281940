"""The reproducible sample of an evidence pack: the records of a clause ordered by
md5(seed || ':' || record type || ':' || id) and cut at N. The same seed over the same records gives
the same sample in any run and any database (no PRNG state, no dependence on physical order)."""

from django.db.models import CharField, Value
from django.db.models.functions import MD5, Cast, Concat


def sample_key(seed, model_label, pk) -> str:
    """The same key in Python (for tests and for merging sources)."""
    import hashlib

    return hashlib.md5(f"{seed}:{model_label}:{pk}".encode()).hexdigest()


def top(source, start, end, seed, size):
    """[(key, id)] of the source's first `size` records of the period in sample order: one query."""
    prefix = Value(f"{seed}:{source.model_label}:", output_field=CharField())
    key = MD5(Concat(prefix, Cast("pk", CharField()), output_field=CharField()))
    return list(source.records(start, end).order_by().annotate(sample_key=key)
                .order_by("sample_key", "pk").values_list("sample_key", "pk")[:size])


def sample(sources, start, end, seed, size) -> list[tuple]:
    """[(source, id)] of the clause: its sources' tops merged in key order and cut at `size`."""
    keyed = []
    for source in sources:
        keyed += [(key, source.model_label, pk, source) for key, pk in top(source, start, end, seed, size)]
    keyed.sort(key=lambda row: (row[0], row[1], row[2]))
    return [(source, pk) for _key, _label, pk, source in keyed[:size]]
