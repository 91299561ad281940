"""The rules of satisfaction surveys, as plain Python (no ORM, no request): what a score is, how
scores are summed up, who is asked after a resolution, and how a periodic sample is drawn.

Korean public-sector satisfaction surveys report a 100-point score: each answer on the 1..5 scale
is worth (score - 1) x 25 points, and the score is their mean. CSAT is the share of 4s and 5s.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from typing import Hashable, Iterable, Sequence

from django.utils.translation import gettext as _

from core.exceptions import DomainError

SCORES = (1, 2, 3, 4, 5)
LOW_SCORE = 2  # a score at or below this opens a follow-up for the team's manager


def parse_score(raw, *, field="score") -> int:
    """The score in `raw` (1..5), or a DomainError naming the field: 0, 6, "five", 4.5 are refused."""
    if isinstance(raw, bool):
        raw = None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.strip().isdigit():
        value = int(raw.strip())
    else:
        raise DomainError(_("Choose a score from 1 to 5."), field=field, code="invalid")
    if value not in SCORES:
        raise DomainError(_("Choose a score from 1 to 5."), field=field, code="out_of_range")
    return value


def is_low(score: int) -> bool:
    return score <= LOW_SCORE


def csat_percent(by_score: dict[int, int]) -> float | None:
    """Share of 4s and 5s among the answers, 0..100 (None without answers)."""
    total = sum(by_score.get(s, 0) for s in SCORES)
    if not total:
        return None
    return round(100 * (by_score.get(4, 0) + by_score.get(5, 0)) / total, 1)


def score_100(by_score: dict[int, int]) -> float | None:
    """The 100-point score: the mean of (score - 1) x 25 (None without answers)."""
    total = sum(by_score.get(s, 0) for s in SCORES)
    if not total:
        return None
    return round(sum((s - 1) * 25 * by_score.get(s, 0) for s in SCORES) / total, 1)


def response_rate(responses: int, invited: int) -> float | None:
    return round(100 * responses / invited, 1) if invited else None


def sampled(key: str, percent: int) -> bool:
    """Whether the ticket named `key` is in a `percent` sample: a stable hash of the key, so the
    same ticket is always in or out (a reopened and re-resolved ticket is not asked twice by chance,
    and a test can tell in advance)."""
    if percent >= 100:
        return True
    if percent <= 0:
        return False
    bucket = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 100
    return bucket < percent


def stratified_sample(population: Sequence[tuple[Hashable, Hashable, object]], size: int, *, seed) -> list:
    """A representative sample of `size` people: `population` holds (organisation, service, item)
    triples; each stratum (organisation, service) gets its proportional share (seats left by
    rounding down go to the largest remainders: no stratum is over- or under-represented by
    more than one person), drawn at random with `seed`, so the same
    population, size and seed give the same sample.

    Returns the chosen items, stratum by stratum in a stable order.
    """
    if size <= 0 or not population:
        return []
    strata: dict[tuple, list] = defaultdict(list)
    for organisation, service, item in population:
        strata[(organisation, service)].append(item)
    keys = sorted(strata, key=lambda k: (str(k[0]), str(k[1])))
    total = len(population)
    size = min(size, total)
    quotas = {k: size * len(strata[k]) / total for k in keys}
    counts = {k: int(quotas[k]) for k in keys}
    # Largest remainders get the seats left; ties go to the bigger stratum, then to key order.
    left = size - sum(counts.values())
    for k in sorted(keys, key=lambda k: (-(quotas[k] - counts[k]), -len(strata[k]), keys.index(k)))[:left]:
        counts[k] += 1
    rng = random.Random(str(seed))
    chosen = []
    for k in keys:
        members = sorted(strata[k], key=str)
        chosen.extend(rng.sample(members, min(counts[k], len(members))))
    return chosen


def strata_counts(pairs: Iterable[tuple[Hashable, Hashable]]) -> dict[tuple, int]:
    counts: dict[tuple, int] = defaultdict(int)
    for pair in pairs:
        counts[tuple(pair)] += 1
    return dict(counts)
