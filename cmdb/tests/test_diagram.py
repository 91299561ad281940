"""Layered layout of the dependency picture: pure, no database."""

import itertools

from cmdb.diagram import NODE_H, PER_ROW, Edge, Node, fit, layout, text_width


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


def test_a_cut_short_level_ends_in_a_more_node_with_the_count_and_link():
    layers = {0: [Node(1, "a")], 1: [Node(i, f"b{i}") for i in range(2, 14)]}
    diagram = layout(layers, [Edge(1, 99, "depends on")], {1: 40}, more_urls={1: "/cmdb/1/dependencies/?expand=1"})
    assert diagram.edges == []  # an edge to a CI not drawn is dropped
    [more] = diagram.more_nodes
    assert (more.label, more.more, more.url) == ("+40 more", 40, "/cmdb/1/dependencies/?expand=1")
    level_one = [node for node in diagram.nodes if node.y == more.y]
    assert len(level_one) == 13 and more.x == max(node.x for node in level_one)  # last in its row


def test_a_wide_level_wraps_onto_rows_of_at_most_per_row():
    # given: a business service needing 30 applications (an expanded level)
    layers = {0: [Node(1, "Payroll", focus=True)], 1: [Node(i, f"app-{i:02d}") for i in range(2, 32)]}
    diagram = layout(layers, [Edge(1, i, "depends on") for i in range(2, 32)])
    rows = {}
    for node in diagram.nodes:
        rows.setdefault(node.y, []).append(node)
    assert sorted(len(row) for row in rows.values()) == [1, 6, 12, 12]
    # the picture grows in height, not in width
    assert diagram.width < (PER_ROW + 1) * 220
    assert diagram.height > 4 * NODE_H


def test_boxes_never_overlap_and_stay_inside_the_drawing():
    layers = {-2: [Node(i, f"svc-{i}") for i in range(1, 6)], -1: [Node(i, f"app-{i}") for i in range(6, 26)],
              0: [Node(26, "db", focus=True)], 1: [Node(i, f"vm-{i}") for i in range(27, 30)]}
    edges = [Edge(i, 26, "depends on") for i in range(6, 26)] + [Edge(i, 6 + i, "depends on") for i in range(1, 6)]
    diagram = layout(layers, edges, {-1: 7, 1: 2})
    boxes = [node.box() for node in diagram.nodes]
    for a, b in itertools.combinations(boxes, 2):
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    for left, top, right, bottom in boxes:
        assert left >= 0 and top >= 0 and right <= diagram.width and bottom <= diagram.height


def test_every_label_is_at_least_12px_and_fits_its_box():
    layers = {0: [Node(1, "a-very-long-application-name-that-would-overflow", "Application", focus=True)],
              1: [Node(2, "결제 데이터베이스 서버 주 노드 이중화 구성", "Database")]}
    diagram = layout(layers, [Edge(1, 2, "depends on")], {1: 3})
    for node in diagram.nodes:
        assert node.label_size >= 12 and node.sub_size >= 12
        assert text_width(node.short_label, node.label_size) <= node.w - 20
    assert all(edge.label_size >= 12 for edge in diagram.edges)
    assert fit("short", 13, 100) == "short"
    assert diagram.nodes[0].short_label.endswith("…")


def test_edge_labels_that_would_collide_are_left_to_the_tooltip():
    # given: twelve CIs side by side all needing one CI through links with long names
    layers = {0: [Node(i, f"n{i}") for i in range(1, 13)], 1: [Node(99, "target")]}
    diagram = layout(layers, [Edge(i, 99, "is hosted on the virtual host") for i in range(1, 13)])
    shown = [edge.label_box() for edge in diagram.edges if edge.show_label]
    assert 0 < len(shown) < 12
    for a, b in itertools.combinations(shown, 2):
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def test_barycentre_keeps_children_under_their_parent():
    layers = {0: [Node(1, "left"), Node(2, "right")], 1: [Node(3, "a-under-right"), Node(4, "z-under-left")]}
    diagram = layout(layers, [Edge(2, 3, "x"), Edge(1, 4, "x")])
    by_id = {node.id: node for node in diagram.nodes}
    assert by_id[4].x < by_id[3].x
