"""Impact analysis over the relationship graph (recursive CTE)."""

import pytest

from cmdb import graph
from cmdb.tests.factories import make_ci, relate

pytestmark = pytest.mark.django_db


def names(cis):
    return [(ci.name, ci.depth) for ci in cis]


def test_downstream_of_a_host_is_everything_that_needs_it(estate):
    result = graph.impact_of([estate["host"]], "downstream", 5)
    assert names(result) == [("vm-payroll-01", 1), ("payroll-db", 2), ("payroll-web", 2), ("Payroll", 3)]


def test_minimum_distance_wins(estate):
    # payroll-web needs the VM directly (runs_on) and through the database: distance 1
    result = graph.impact_distances([estate["vm"].pk], "downstream", 5)
    assert result[estate["app"].pk] == 1


def test_upstream_of_the_service_is_everything_it_needs(estate):
    result = graph.impact_of([estate["service"]], "upstream", 10)
    assert names(result) == [("payroll-web", 1), ("payroll-db", 2), ("vm-payroll-01", 2), ("esx-01", 3),
                             ("sw-core-01", 4)]


def test_depth_limits_the_walk(estate):
    assert names(graph.impact_of([estate["switch"]], "downstream", 2)) == [("esx-01", 1), ("vm-payroll-01", 2)]


def test_cycles_terminate_with_minimum_distances():
    # given: a → b → c → a (a needs b, b needs c, c needs a)
    a, b, c = make_ci("a"), make_ci("b"), make_ci("c")
    relate(a, b), relate(b, c), relate(c, a)
    # when
    result = graph.impact_distances([a.pk], "downstream", 20)
    # then: c needs a (1), b needs c (2); a itself is the start
    assert result == {c.pk: 1, b.pk: 2}
    assert graph.impact_distances([a.pk], "downstream", 20, include_self=True)[a.pk] == 0


def test_set_form_is_the_union_with_nearest_distance(estate):
    result = graph.impact_distances([estate["switch"].pk, estate["db"].pk], "downstream", 5)
    assert result == {estate["host"].pk: 1, estate["vm"].pk: 2, estate["app"].pk: 1, estate["service"].pk: 2}


def test_types_filter(estate):
    result = graph.impact_of([estate["vm"]], "downstream", 5, types=["hosted_on"])
    assert names(result) == [("payroll-db", 1)]


def test_business_services_impacted(estate):
    other = make_ci("E-mail", "business_service")
    relate(other, estate["host"], "depends_on")
    assert names(graph.business_services_impacted([estate["switch"].pk])) == [("E-mail", 2), ("Payroll", 4)]
    # a business service counts itself
    assert names(graph.business_services_impacted([other.pk])) == [("E-mail", 0)]


def test_bad_arguments_raise_value_error(estate):
    for kwargs in ({"direction": "sideways"}, {"depth": 0}, {"depth": 99}, {"types": ["likes"]}):
        with pytest.raises(ValueError):
            graph.impact_distances([estate["vm"].pk], **{"direction": "downstream", "depth": 5, **kwargs})


def test_empty_input():
    assert graph.impact_of([], "downstream", 3) == []


def test_neighbourhood_places_needers_above_and_needs_below(estate):
    layers, edges, hidden = graph.neighbourhood(estate["vm"], depth=2)
    layer_of = {ci.name: layer for layer, members in layers.items() for ci in members}
    assert layer_of == {"vm-payroll-01": 0, "payroll-db": -1, "payroll-web": -1, "Payroll": -2,
                        "esx-01": 1, "sw-core-01": 2}
    assert len(edges) == 6
    assert hidden == {}


@pytest.mark.parametrize("depth", [3, 7, 20])
def test_both_walks_agree_on_a_meshed_graph_with_cycles(depth):
    import random

    # given: 40 CIs, 120 random relationships (cycles included)
    rng = random.Random(5)
    cis = [make_ci(f"n{i:02d}") for i in range(40)]
    pairs = set()
    while len(pairs) < 120:
        a, b = rng.sample(cis, 2)
        pairs.add((a, b))
    for a, b in pairs:
        relate(a, b)
    # when
    start = [cis[0].pk, cis[1].pk]
    level = graph._level_walk(start, "downstream", depth, [])
    cte = graph.impact_distances(start, "downstream", min(depth, graph.CTE_MAX_DEPTH), include_self=True)
    # then: the walks agree wherever both reach
    assert {k: v for k, v in level.items() if v <= graph.CTE_MAX_DEPTH} == cte
    assert graph.impact_distances(start, "downstream", depth, include_self=True) == level


def test_dependency_types_are_the_contracts_needs():
    from cmdb.choices import DEPENDENCY_TYPES, PEER_TYPES, RelationshipType

    assert set(DEPENDENCY_TYPES) == {"depends_on", "runs_on", "hosted_on", "part_of"}
    assert set(DEPENDENCY_TYPES) | set(PEER_TYPES) == set(RelationshipType.values)
    assert "connects_to" not in DEPENDENCY_TYPES


@pytest.mark.parametrize("rel_type", ["depends_on", "runs_on", "hosted_on", "part_of"])
@pytest.mark.parametrize("depth", [5, 10])  # the recursive CTE, and the level-by-level walk beyond CTE_MAX_DEPTH
def test_each_dependency_type_is_walked_both_ways(rel_type, depth):
    # given: a needs b needs c, through one dependency type
    a, b, c = make_ci("a"), make_ci("b"), make_ci("c")
    relate(a, b, rel_type), relate(b, c, rel_type)
    # then
    assert graph.impact_distances([c.pk], "downstream", depth) == {b.pk: 1, a.pk: 2}
    assert graph.impact_distances([a.pk], "upstream", depth) == {b.pk: 1, c.pk: 2}
    assert names(graph.impact_of([c.pk], "downstream", depth)) == [("b", 1), ("a", 2)]


@pytest.mark.parametrize("depth", [5, 10])
def test_peer_links_are_not_walked(estate, depth):
    # given: the switch meshed with a peer switch, and another host that only connects to the peer
    peer = make_ci("sw-core-02", "network_device")
    other_host = make_ci("esx-02", "server")
    service = make_ci("Intranet", "business_service")
    relate(estate["switch"], peer, "connects_to")
    relate(other_host, peer, "connects_to")
    relate(service, other_host, "depends_on")
    # then: nothing needs the peer switch, and the switch needs nothing
    assert graph.impact_distances([peer.pk], "downstream", depth) == {}
    assert graph.impact_distances([estate["switch"].pk], "upstream", depth) == {}
    assert graph.impact_distances([other_host.pk], "upstream", depth) == {}
    assert graph.business_services_impacted([peer.pk]) == []
    # the switch's downstream impact is its dependants only, not the peer's side of the mesh
    down = graph.impact_distances([estate["switch"].pk], "downstream", depth)
    assert peer.pk not in down and other_host.pk not in down and service.pk not in down
    assert names(graph.business_services_impacted([estate["switch"].pk])) == [("Payroll", 4)]
    # callers that want the peer links ask for them explicitly
    assert graph.impact_distances([peer.pk], "downstream", depth, types=["connects_to"]) == {
        estate["switch"].pk: 1, other_host.pk: 1}
    assert graph.impact_distances([estate["switch"].pk], "upstream", depth, types=["connects_to"]) == {peer.pk: 1}


def test_neighbourhood_draws_direct_peers_beside_the_ci(estate):
    peer = make_ci("sw-core-02", "network_device")
    relate(estate["switch"], peer, "connects_to")
    layers, edges, hidden = graph.neighbourhood(estate["switch"], depth=2)
    layer_of = {ci.name: layer for layer, members in layers.items() for ci in members}
    assert layer_of == {"sw-core-01": 0, "sw-core-02": 0, "esx-01": -1, "vm-payroll-01": -2}
    assert sorted(edge.type for edge in edges) == ["connects_to", "depends_on", "hosted_on"]
