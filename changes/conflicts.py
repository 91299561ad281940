"""Schedule conflicts of a change: set-based SQL on PostgreSQL.

A change conflicts with another scheduled or implementing change whose window overlaps
its own when they touch the same CI or when the downstream impact of their CIs reaches a
common business service (impact follows the dependency types only, cmdb.choices.DEPENDENCY_TYPES;
peer `connects_to` links are not dependencies); and with an active freeze window that overlaps it (for every
change, or for the business services it names). Conflicts warn; a freeze blocks unless
the change is an emergency (the workflow guard decides that).

Two queries answer it: one for the other changes (window filter on a partial index, then
the CI link table and the GIN-indexed `impacted_services` array), one for the freezes.
The change's own downstream impact comes from the CMDB graph (one recursive query).
Every read (change page, list, API) computes them as of now with `current`, three queries
for a whole page, so they are never stale; scheduling stores what it found on the change.

That SQL is PostgreSQL's (tstzrange `&&` on a GiST index, arrays, jsonb), the only database
the product runs on.
"""

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from changes.choices import ACTIVE_WINDOW_STATES, TERMINAL_STATES, ChangeType, ConflictKind

# At most this many shared CI / service ids are kept per conflict (a core switch can share
# thousands of services with another change); `service_count` keeps the total.
LIST_CAP = 20


@dataclass(frozen=True)
class Impact:
    services: list  # business service CI ids downstream of (or among) the CIs
    ci_count: int  # distinct CIs downstream of the CIs, themselves excluded


def _tables():
    from changes.models import Change, FreezeWindow
    from cmdb.models import CIClass, ConfigurationItem, Relationship

    through = Change.affected_cis.through
    freeze_services = FreezeWindow.services.through
    return {
        "change": Change._meta.db_table,
        "link": through._meta.db_table,
        "link_change": through._meta.get_field("change").column,
        "link_ci": through._meta.get_field("configurationitem").column,
        "freeze": FreezeWindow._meta.db_table,
        "freeze_link": freeze_services._meta.db_table,
        "freeze_link_freeze": freeze_services._meta.get_field("freezewindow").column,
        "freeze_link_ci": freeze_services._meta.get_field("configurationitem").column,
        "ci": ConfigurationItem._meta.db_table,
        "ciclass": CIClass._meta.db_table,
        "rel": Relationship._meta.db_table,
    }


def _dependency_types():
    """The relationship types the impact walks follow: cmdb.choices.DEPENDENCY_TYPES (the REST
    contract's "needs": depends_on, runs_on, hosted_on, part_of). connects_to is a peer link."""
    from cmdb.choices import DEPENDENCY_TYPES

    return list(DEPENDENCY_TYPES)


def downstream_impact(ci_ids):
    """Business services reached downstream of `ci_ids` (the CIs themselves included) and the
    number of distinct downstream CIs, in one recursive query.

    Downstream of B is every CI that needs B (`A <type> B` for a dependency type; peer
    `connects_to` links are not followed), transitively; the recursive UNION keeps each CI once,
    so cycles terminate.
    """
    from cmdb.choices import BUSINESS_SERVICE_SLUG

    ci_ids = sorted({int(i) for i in ci_ids})
    if not ci_ids:
        return Impact(services=[], ci_count=0)
    t = _tables()
    sql = f"""
        WITH RECURSIVE down(id) AS (
            SELECT unnest(%s::bigint[])
            UNION
            SELECT r.source_id FROM {t['rel']} r JOIN down d ON r.target_id = d.id
            WHERE r.type = ANY(%s::text[])
        )
        SELECT
            (SELECT count(*) FROM down WHERE NOT (down.id = ANY(%s::bigint[]))),
            COALESCE((SELECT array_agg(ci.id ORDER BY ci.id) FROM down
                      JOIN {t['ci']} ci ON ci.id = down.id
                      JOIN {t['ciclass']} cls ON cls.id = ci.ci_class_id
                      WHERE cls.slug = %s), '{{}}')
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [ci_ids, _dependency_types(), ci_ids, BUSINESS_SERVICE_SLUG])
        count, services = cursor.fetchone()
    return Impact(services=list(services), ci_count=int(count))


def _active_freezes(cursor, start, end):
    """Active freezes overlapping [start, end), each with the CIs it is scoped to (none: all)."""
    t = _tables()
    cursor.execute(f"""
        SELECT f.id, f.name, f."start", f."end",
            ARRAY(SELECT fl.{t['freeze_link_ci']} FROM {t['freeze_link']} fl
                  WHERE fl.{t['freeze_link_freeze']} = f.id ORDER BY 1) AS scope
        FROM {t['freeze']} f
        WHERE f.active AND f."start" < %(end)s AND f."end" > %(start)s
        ORDER BY f."start", f.id
    """, {"start": start, "end": end})
    return cursor.fetchall()


def detect(*, change_id, ci_ids, services, start, end):
    """Conflicts of a window [start, end) on `ci_ids` whose impact reaches `services`.

    Returns a list of plain dicts (stored on the change and served read-only by the API).
    """
    if start is None or end is None:
        return []
    t = _tables()
    ci_ids = sorted({int(i) for i in ci_ids})
    states = sorted(ACTIVE_WINDOW_STATES)
    # Candidates: other changes holding a slot whose window overlaps (GiST range index). Their
    # impacted-service arrays come back and are intersected here with a hash set: PostgreSQL's
    # array overlap compares element pairs, slow for thousands of services per change.
    other_sql = f"""
        SELECT c.id, c.number, c.title, c.state, c.planned_start, c.planned_end, c.impacted_services,
            ARRAY(SELECT l.{t['link_ci']} FROM {t['link']} l
                  WHERE l.{t['link_change']} = c.id AND l.{t['link_ci']} = ANY(%(cis)s::bigint[])
                  ORDER BY 1) AS shared_cis
        FROM {t['change']} c
        WHERE c.state = ANY(%(states)s::text[]) AND c.id <> %(change_id)s
          AND tstzrange(c.planned_start, c.planned_end) && tstzrange(%(start)s, %(end)s)
        ORDER BY c.planned_start, c.id
    """
    params = {"states": [str(s) for s in states], "change_id": change_id or 0, "start": start, "end": end,
              "cis": ci_ids}
    with connection.cursor() as cursor:
        cursor.execute(other_sql, params)
        others = cursor.fetchall()
        freezes = _active_freezes(cursor, start, end)
    return _conflicts(others, freezes, services)


def _conflicts(others, freezes, services):
    """The conflict entries from candidate rows `(id, number, title, state, start, end,
    impacted_services, shared_cis)` and freeze rows `(id, name, start, end, scope)`."""
    mine = {int(i) for i in services}
    conflicts = []
    for cid, number, title, state, p_start, p_end, impacted, shared_cis in others:
        shared_services = sorted(mine.intersection(impacted or ())) if mine else []
        if not shared_cis and not shared_services:
            continue
        kind = ConflictKind.SAME_CI if shared_cis else ConflictKind.SHARED_SERVICE
        conflicts.append({
            "kind": str(kind), "change": cid, "number": number, "title": title, "state": state,
            "start": p_start.isoformat(), "end": p_end.isoformat(), "cis": list(shared_cis)[:LIST_CAP],
            "services": shared_services[:LIST_CAP], "service_count": len(shared_services),
            "blocking": False,
        })
    for fid, name, f_start, f_end, scope in freezes:
        scope = list(scope)
        hit = [s for s in scope if s in mine]
        if scope and not hit:
            continue
        conflicts.append({
            "kind": str(ConflictKind.FREEZE), "freeze": fid, "name": name,
            "start": f_start.isoformat(), "end": f_end.isoformat(), "services": hit, "blocking": True,
        })
    return conflicts


def current(changes, *, now=None):
    """Attach each change's conflicts as of now (`conflicts`, `conflicts_checked_at`), in three
    queries however many changes: what a change page, a list page and the API show.

    Conflicts depend on other changes' windows and states, the freezes and the CMDB graph, any of
    which may change after a change was last checked; computed on read they are never stale (a
    cancelled or moved change drops out of the others' at once). A change without a window, or
    closed or cancelled, has none. The stored `conflicts` are what scheduling last found.
    """
    changes = [c for c in changes if not getattr(c, "_conflicts_current", False)]
    if not changes:
        return changes
    now = now or timezone.now()
    live = {c.pk: c for c in changes
            if c.pk and c.planned_start and c.planned_end and c.state not in TERMINAL_STATES}
    found = {pk: [] for pk in live}
    if live:
        ids = sorted(live)
        services = _services_of_changes(ids)
        others, freezes = _candidates(ids, min(c.planned_start for c in live.values()),
                                      max(c.planned_end for c in live.values()))
        by_change = {}
        for row in others:
            by_change.setdefault(row[0], []).append(row[1:])
        for pk, change in live.items():
            overlapping = [f for f in freezes if f[2] < change.planned_end and f[3] > change.planned_start]
            items = _conflicts(by_change.get(pk, []), overlapping, services.get(pk, []))
            for item in items:
                if item["kind"] == ConflictKind.FREEZE:
                    item["blocking"] = change.type != ChangeType.EMERGENCY
            found[pk] = items
    for change in changes:
        change.conflicts = found.get(change.pk, [])
        change.conflicts_checked_at = now
        change._conflicts_current = True
    return changes


def _services_walk(seed_sql):
    """SQL for (origin, business services downstream of it): `seed_sql` selects (origin, CI id)
    rows to start from; params are the seed's own, then the dependency types and the class slug."""
    t = _tables()
    return f"""
        WITH RECURSIVE down(origin, id) AS (
            {seed_sql}
            UNION
            SELECT d.origin, r.source_id FROM {t['rel']} r JOIN down d ON r.target_id = d.id
            WHERE r.type = ANY(%s::text[])
        )
        SELECT d.origin, array_agg(DISTINCT d.id)
        FROM down d JOIN {t['ci']} ci ON ci.id = d.id JOIN {t['ciclass']} cls ON cls.id = ci.ci_class_id
        WHERE cls.slug = %s GROUP BY d.origin
    """


def _services_of_changes(change_ids):
    """Change id → business services downstream of (or among) its CIs, for many changes in one
    recursive query (the walk is per change, so each change's closure is deduplicated)."""
    from cmdb.choices import BUSINESS_SERVICE_SLUG

    t = _tables()
    sql = _services_walk(f"SELECT l.{t['link_change']}, l.{t['link_ci']} FROM {t['link']} l"
                         f" WHERE l.{t['link_change']} = ANY(%s::bigint[])")
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(change_ids), _dependency_types(), BUSINESS_SERVICE_SLUG])
        return {change_id: sorted(services) for change_id, services in cursor.fetchall()}


def _candidates(change_ids, start, end):
    """The other slot-holding changes overlapping each of `change_ids` (rows led by the change's
    id, then as `detect` reads them), and the active freezes overlapping [start, end)."""
    t = _tables()
    other_sql = f"""
        SELECT p.id, c.id, c.number, c.title, c.state, c.planned_start, c.planned_end, c.impacted_services,
            ARRAY(SELECT l.{t['link_ci']} FROM {t['link']} l
                  JOIN {t['link']} pl ON pl.{t['link_ci']} = l.{t['link_ci']} AND pl.{t['link_change']} = p.id
                  WHERE l.{t['link_change']} = c.id ORDER BY 1) AS shared_cis
        FROM {t['change']} p
        JOIN {t['change']} c ON c.state = ANY(%(states)s::text[]) AND c.id <> p.id
            AND tstzrange(c.planned_start, c.planned_end) && tstzrange(p.planned_start, p.planned_end)
        WHERE p.id = ANY(%(ids)s::bigint[]) AND p.planned_start IS NOT NULL AND p.planned_end IS NOT NULL
        ORDER BY p.id, c.planned_start, c.id
    """
    params = {"states": sorted(str(s) for s in ACTIVE_WINDOW_STATES), "ids": list(change_ids),
              "start": start, "end": end}
    with connection.cursor() as cursor:
        cursor.execute(other_sql, params)
        others = cursor.fetchall()
        freezes = _active_freezes(cursor, start, end)
    return others, freezes


def freeze_blocks(conflicts):
    return any(c["kind"] == ConflictKind.FREEZE for c in conflicts)


def check_change(change, *, ci_ids=None, refresh_impact=True):
    """Compute impact (optionally) and conflicts for a change; returns (impact, conflicts, now).

    Does not write: the service stores the result.
    """
    if ci_ids is None:
        ci_ids = list(change.affected_cis.values_list("pk", flat=True))
    if refresh_impact:
        impact = downstream_impact(ci_ids)
    else:
        impact = Impact(services=list(change.impacted_services), ci_count=change.impacted_ci_count)
    conflicts = detect(change_id=change.pk, ci_ids=ci_ids, services=impact.services,
                       start=change.planned_start, end=change.planned_end)
    return impact, conflicts, timezone.now()


def services_by_ci(ci_ids, chunk=500):
    """For many CIs at once: CI id → business services downstream of it (itself included).

    Set-based (one recursive query per chunk of origins): used to stamp `impacted_services`
    on changes created in bulk (demo and benchmark data).
    """
    from cmdb.choices import BUSINESS_SERVICE_SLUG

    types = _dependency_types()
    ci_ids = sorted({int(i) for i in ci_ids})
    result = {ci_id: [] for ci_id in ci_ids}
    sql = _services_walk("SELECT o, o FROM unnest(%s::bigint[]) o")
    with connection.cursor() as cursor:
        for offset in range(0, len(ci_ids), chunk):
            cursor.execute(sql, [ci_ids[offset:offset + chunk], types, BUSINESS_SERVICE_SLUG])
            for origin, services in cursor.fetchall():
                result[origin] = sorted(services)
    return result
