"""Impact analysis: walking the relationship graph with one recursive SQL query.

`A <type> B` means A needs B for the dependency types (depends_on, runs_on, hosted_on, part_of;
`connects_to` is a peer link, not a need, and is not walked unless asked for). The **downstream** impact of B is every CI that needs B,
directly or transitively (A, then whatever needs A ...); **upstream** of A is everything A
needs. The walk is a recursive CTE over `cmdb_relationship` rows, started from an array of
ids. It is depth-limited and terminates on cycles: rows are (ci id, depth) pairs
combined with UNION (duplicates discarded), and depth never exceeds the limit, so the working
set is finite; each CI is then reported once with its minimum distance. Walks deeper than
CTE_MAX_DEPTH go breadth-first instead, one set-based query per level, because on densely
meshed graphs the CTE expands a CI once per depth at which it is reachable.

Public functions (other apps, changes in particular, call these):

    impact_distances(ci_ids, direction="downstream", depth=5, *, types=None, include_self=False)
        -> dict[int, int]          # CI id -> minimum distance (1 = directly related)

    impact_of(ci_ids, direction="downstream", depth=5, *, types=None, include_self=False)
        -> list[ConfigurationItem] # the union of the impacts of all `ci_ids`; each CI carries
                                   # `.depth` (its minimum distance) and its ci_class loaded;
                                   # ordered by depth, then name

    business_services_impacted(ci_ids, depth=SERVICE_DEPTH)
        -> list[ConfigurationItem] # business services downstream of any of `ci_ids`
                                   # (a business service in `ci_ids` counts itself, depth 0)

`ci_ids` is any iterable of CI ids (or CIs); `direction` is "downstream" or "upstream";
`depth` is between 1 and MAX_DEPTH. By default only the dependency types are walked
(cmdb.choices.DEPENDENCY_TYPES: depends_on, runs_on, hosted_on, part_of, as the REST contract
defines "needs"); `connects_to` is a peer (network) link and is not followed. `types` replaces
that set for callers that explicitly want other types (e.g. `types=["connects_to"]`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import prefetch_related_objects

from cmdb.choices import BUSINESS_SERVICE_SLUG, DEPENDENCY_TYPES, PEER_TYPES, Direction, RelationshipType

DEFAULT_DEPTH = 5
MAX_DEPTH = 20
# Beyond this depth the CTE's (id, depth) rows multiply on densely meshed graphs (a CI
# reachable at many depths is expanded at each), so deeper walks go level by level instead:
# one set-based query per level over the unvisited frontier, each CI expanded once.
CTE_MAX_DEPTH = 6
# How far business_services_impacted looks: services sit a handful of hops above infrastructure.
SERVICE_DEPTH = 10


def _ids(ci_ids) -> list[int]:
    ids = []
    for value in ci_ids or ():
        ids.append(int(getattr(value, "pk", value)))
    return sorted(set(ids))


def _check(direction, depth, types):
    if direction not in Direction.values:
        raise ValueError(f"direction must be one of {', '.join(Direction.values)}")
    if not isinstance(depth, int) or isinstance(depth, bool) or not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be an integer between 1 and {MAX_DEPTH}")
    if types is None or isinstance(types, str):
        types = [types] if types else []
    types = sorted({str(t) for t in types})
    unknown = [t for t in types if t not in RelationshipType.values]
    if unknown:
        raise ValueError(f"unknown relationship type(s): {', '.join(unknown)}")
    # No explicit types: walk what "needs" means (the dependency types), never peer links.
    return types or list(DEPENDENCY_TYPES)


def _cte(direction: str, types: list[str]) -> str:
    from cmdb.models import ConfigurationItem, Relationship

    quote = connection.ops.quote_name
    rel = quote(Relationship._meta.db_table)
    ci = quote(ConfigurationItem._meta.db_table)
    # Downstream of X: rows whose target is X give their source; upstream the reverse.
    joined, reached = ("target_id", "source_id") if direction == Direction.DOWNSTREAM else ("source_id", "target_id")
    type_filter = f" AND r.type IN ({', '.join(['%s'] * len(types))})" if types else ""
    return (
        f"WITH RECURSIVE walk(id, depth) AS ("
        f" SELECT c.id, 0 FROM {ci} c WHERE c.id = ANY(%s::bigint[])"
        f" UNION"
        f" SELECT r.{reached}, w.depth + 1 FROM {rel} r JOIN walk w ON r.{joined} = w.id"
        f" WHERE w.depth < %s{type_filter}"
        f")"
    )


def _walk_sql(direction: str, types: list[str]):
    return _cte(direction, types) + " SELECT id, MIN(depth) FROM walk GROUP BY id"


# Columns loaded for impact lists; the heavy JSON/text columns are deferred.
_LIST_COLUMNS = ["id", "name", "ci_class_id", "status", "environment", "criticality", "owner_group_id",
                 "external_id", "version", "location"]


def _impact_rows(ids, direction, depth, types, include_self, class_slug=None):
    """One query: the walk joined to the CI rows, each with its minimum depth."""
    from cmdb.models import CIClass, ConfigurationItem

    quote = connection.ops.quote_name
    ci = quote(ConfigurationItem._meta.db_table)
    cls = quote(CIClass._meta.db_table)
    columns = ", ".join(f"c.{quote(column)}" for column in _LIST_COLUMNS)
    where = "" if include_self else " WHERE d.depth > 0"
    class_join = f" JOIN {cls} k ON k.id = c.ci_class_id AND k.slug = %s" if class_slug else ""
    sql = (
        _cte(direction, types)
        + f" SELECT {columns}, d.depth AS depth FROM (SELECT id, MIN(depth) AS depth FROM walk GROUP BY id) d"
        + f" JOIN {ci} c ON c.id = d.id{class_join}{where}"
    )
    params = [ids, depth, *types, *([class_slug] if class_slug else [])]
    return list(ConfigurationItem.objects.raw(sql, params))


def _level_walk(ids, direction, depth, types) -> dict[int, int]:
    """Breadth-first, one query per level: exact minimum distances, each CI expanded once."""
    from cmdb.models import Relationship

    quote = connection.ops.quote_name
    rel = quote(Relationship._meta.db_table)
    joined, reached = ("target_id", "source_id") if direction == Direction.DOWNSTREAM else ("source_id", "target_id")
    type_filter = f" AND type IN ({', '.join(['%s'] * len(types))})" if types else ""
    distances = {ci_id: 0 for ci_id in ids}
    frontier = list(ids)
    with connection.cursor() as cursor:
        for level in range(1, depth + 1):
            # The whole frontier goes as one array.
            cursor.execute(f"SELECT DISTINCT {reached} FROM {rel} WHERE {joined} = ANY(%s){type_filter}",
                           [frontier, *types])
            found = {row[0] for row in cursor.fetchall()}
            frontier = [ci_id for ci_id in found if ci_id not in distances]
            if not frontier:
                break
            for ci_id in frontier:
                distances[ci_id] = level
    return distances


def impact_distances(ci_ids: Iterable, direction: str = Direction.DOWNSTREAM, depth: int = DEFAULT_DEPTH, *,
                     types=None, include_self: bool = False) -> dict[int, int]:
    """CI id → minimum number of hops from the nearest of `ci_ids` (see module docstring)."""
    types = _check(direction, depth, types)
    ids = _ids(ci_ids)
    if not ids:
        return {}
    if depth > CTE_MAX_DEPTH:
        distances = _level_walk(ids, direction, depth, types)
        if not include_self:
            distances = {ci_id: d for ci_id, d in distances.items() if d > 0}
        return distances
    with connection.cursor() as cursor:
        cursor.execute(_walk_sql(direction, types), [ids, depth, *types])
        distances = dict(cursor.fetchall())
    if not include_self:
        distances = {ci_id: d for ci_id, d in distances.items() if d > 0}
    return distances


def _load(distances: dict[int, int], queryset=None) -> list:
    from cmdb.models import ConfigurationItem

    queryset = ConfigurationItem.objects.all() if queryset is None else queryset
    ids = list(distances)
    cis = []
    step = 20000
    for offset in range(0, len(ids), step):
        cis.extend(queryset.filter(pk__in=ids[offset:offset + step]).defer("attributes", "description", "tags"))
    prefetch_related_objects(cis, "ci_class")
    for item in cis:
        item.depth = distances[item.pk]
    cis.sort(key=lambda item: (item.depth, item.name.lower(), item.pk))
    return cis


def impact_of(ci_ids: Iterable, direction: str = Direction.DOWNSTREAM, depth: int = DEFAULT_DEPTH, *,
              types=None, include_self: bool = False, queryset=None, _class_slug=None) -> list:
    """The CIs impacted by (downstream) or needed by (upstream) any of `ci_ids`, each with `.depth`.

    `queryset` (e.g. `ConfigurationItem.objects.visible_to(user)`) limits what is returned,
    not what is walked. The CIs come with `ci_class` loaded; `attributes`, `description` and
    `tags` are deferred (read on access).
    """
    types = _check(direction, depth, types)
    ids = _ids(ci_ids)
    if not ids:
        return []
    if len(ids) > 500 or depth > CTE_MAX_DEPTH:
        distances = impact_distances(ids, direction, depth, types=types, include_self=include_self)
        if _class_slug:
            from cmdb.models import ConfigurationItem

            # The class is usually far smaller than a deep walk: intersect ids, not a huge IN list.
            of_class = ConfigurationItem.objects.filter(ci_class__slug=_class_slug).values_list("pk", flat=True)
            distances = {ci_id: distances[ci_id] for ci_id in of_class.iterator(chunk_size=10000)
                         if ci_id in distances}
        return _load(distances, queryset)
    cis = _impact_rows(ids, direction, depth, types, include_self, _class_slug)
    if queryset is not None and cis and queryset.query.has_filters():
        allowed = set()
        found = [item.pk for item in cis]
        for offset in range(0, len(found), 500):
            allowed.update(queryset.filter(pk__in=found[offset:offset + 500]).values_list("pk", flat=True))
        cis = [item for item in cis if item.pk in allowed]
    prefetch_related_objects(cis, "ci_class")
    cis.sort(key=lambda item: (item.depth, item.name.lower(), item.pk))
    return cis


def business_services_impacted(ci_ids: Iterable, depth: int = SERVICE_DEPTH) -> list:
    """Business services that need any of `ci_ids` (directly or transitively), nearest first."""
    return impact_of(ci_ids, Direction.DOWNSTREAM, depth, include_self=True, _class_slug=BUSINESS_SERVICE_SLUG)


def neighbourhood(roots, depth: int = 2, limit_per_layer: int = 12, *, up: int | None = None,
                  down: int | None = None, peers: bool = True, expand=(), expand_limit: int = 240,
                  queryset=None):
    """Nodes and edges around `roots` (a CI or CIs) for the dependency picture.

    Returns (layers, edges, hidden): `layers` maps a signed layer number to CIs (negative:
    downstream, what needs them, drawn above; positive: upstream, what they need, drawn below);
    `edges` are Relationship rows between drawn CIs; `hidden` counts CIs left out per layer.
    `depth` is how far both walks go unless `up`/`down` say otherwise (0: not walked). A layer
    keeps its first `limit_per_layer` CIs (business services first, then by name) unless it is
    in `expand`, which raises its limit to `expand_limit`. Layers follow the dependency types
    only; with `peers`, the roots' direct peers (`connects_to`, either way) are drawn beside
    them in layer 0, and peer edges between drawn CIs are included. `queryset` (the viewer's
    visible CIs) limits what is drawn, not what is walked. Five queries whatever the size.
    """
    from django.db.models import Q

    from cmdb.models import ConfigurationItem, Relationship

    root_ids = _ids([roots] if hasattr(roots, "pk") else roots)
    up = depth if up is None else up
    down = depth if down is None else down
    placed = {ci_id: 0 for ci_id in root_ids}
    if down:
        for ci_id, distance in impact_distances(root_ids, Direction.DOWNSTREAM, down).items():
            placed.setdefault(ci_id, -distance)
    if up:
        for ci_id, distance in impact_distances(root_ids, Direction.UPSTREAM, up).items():
            placed.setdefault(ci_id, distance)
    roots_set = set(root_ids)
    if peers and root_ids:
        found = (Relationship.objects.filter(type__in=PEER_TYPES)
                 .filter(Q(source_id__in=root_ids) | Q(target_id__in=root_ids))
                 .order_by("pk").values_list("source_id", "target_id")[:limit_per_layer])
        for source_id, target_id in found:
            placed.setdefault(target_id if source_id in roots_set else source_id, 0)
    expand = {int(layer) for layer in expand or ()}
    cap = max(limit_per_layer, expand_limit if expand else 0)
    queryset = ConfigurationItem.objects.all() if queryset is None else queryset
    # One pass over names only picks what each layer shows; the rows drawn are loaded after.
    candidates = (queryset.filter(pk__in=list(placed)[:20000])
                  .values_list("pk", "name", "ci_class__slug"))
    by_layer: dict[int, list] = {}
    for ci_id, name, slug in candidates:
        by_layer.setdefault(placed[ci_id], []).append((slug != BUSINESS_SERVICE_SLUG, name.lower(), ci_id))
    chosen, hidden = [], {}
    for layer, members in by_layer.items():
        limit = expand_limit if layer in expand else limit_per_layer
        members.sort()
        chosen.extend(ci_id for _service, _name, ci_id in members[:min(limit, cap)])
        if len(members) > limit:
            hidden[layer] = len(members) - limit
    cis = ConfigurationItem.objects.filter(pk__in=chosen).select_related("ci_class").defer(
        "attributes", "description", "tags")
    layers: dict[int, list] = {}
    for item in sorted(cis, key=lambda item: (item.ci_class.slug != BUSINESS_SERVICE_SLUG, item.name.lower(), item.pk)):
        layers.setdefault(placed[item.pk], []).append(item)
    edges = list(Relationship.objects.filter(source_id__in=chosen, target_id__in=chosen).order_by("pk"))
    return layers, edges, hidden
