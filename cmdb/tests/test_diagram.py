"""Layered layout of the dependency picture: pure, no database."""

from cmdb.diagram import NODE_H, Edge, Node, layout


def test_layers_become_rows_and_edges_join_the_nodes():
    # given: an app (focus) needed by a service above and needing a db below
    layers = {-1: [Node(1, "Payroll")], 0: [Node(2, "payroll-web", focus=True)], 1: [Node(3, "payroll-db")]}
    edges = [Edge(1, 2, "depends on"), Edge(2, 3, "depends on")]
    # when
    diagram = layout(layers, edges)
    # then
    by_id = {node.id: node for node in diagram.nodes}
    assert by_id[1].y < by_id[2].y < by_id[3].y
    assert len(diagram.edges) == 2
    first = diagram.edges[0]
    assert (first.y1, first.y2) == (by_id[1].y + NODE_H, by_id[2].y)


def test_hidden_nodes_get_a_note_and_missing_edges_are_dropped():
    layers = {0: [Node(1, "a")], 1: [Node(2, "b")]}
    diagram = layout(layers, [Edge(1, 99, "depends on")], {1: 5})
    assert diagram.edges == []
    assert diagram.notes[0][2] == "+5 more"


def test_barycentre_keeps_children_under_their_parent():
    layers = {0: [Node(1, "left"), Node(2, "right")], 1: [Node(3, "a-under-right"), Node(4, "z-under-left")]}
    diagram = layout(layers, [Edge(2, 3, "x"), Edge(1, 4, "x")])
    by_id = {node.id: node for node in diagram.nodes}
    assert by_id[4].x < by_id[3].x
