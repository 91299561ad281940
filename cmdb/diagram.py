"""Layered layout of a dependency picture, drawn server-side as SVG: plain Python, no ORM.

Levels are dependency distances from the root CI(s) (negative above: what needs them;
positive below: what they need). Within a level nodes are ordered by the mean position of
their neighbours in the level nearer the root (one barycentre pass), which keeps most edges
short and uncrossed without any JavaScript. A level wider than `per_row` nodes wraps onto
several rows, and a level the caller cut short ends in a "+ N more" node linking to the full
level, so the picture grows in height rather than in width and is drawn at its natural size:
the browser pans and zooms it (static/js/depgraph.js) instead of squeezing it into a column.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

NODE_W = 188
NODE_H = 50
GAP_X = 24
GAP_Y = 76  # between levels: room for the edge labels
ROW_GAP = 30  # between the wrapped rows of one level
MARGIN = 24
PER_ROW = 12
LABEL_FONT = 13
SUB_FONT = 12
EDGE_FONT = 12
NOTE_FONT = 12
# Average advance of a glyph in units of the font size (a wide CJK glyph counts twice):
# used to keep labels inside their boxes and edge labels apart without measuring text.
_CHAR_EM = 0.6


def text_width(text: str, font_size: float) -> float:
    units = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return units * font_size * _CHAR_EM


def fit(text: str, font_size: float, width: float) -> str:
    """`text`, cut with an ellipsis so that it fits in `width` pixels."""
    if text_width(text, font_size) <= width:
        return text
    while text and text_width(text + "…", font_size) > width:
        text = text[:-1]
    return text + "…"


@dataclass
class Node:
    id: int
    label: str
    sublabel: str = ""
    colour: str = "#6c757d"
    url: str = ""
    focus: bool = False
    status: str = ""
    dot: str = ""  # the status colour
    title: str = ""
    more: int = 0  # a "+ N more" node standing for N CIs of its level left out
    level: int = 0
    shown: int = 0  # a "+ N more" node: how many CIs its level does show
    x: float = 0
    y: float = 0
    w: float = NODE_W
    h: float = NODE_H
    label_size: int = LABEL_FONT
    sub_size: int = SUB_FONT

    @property
    def short_label(self):
        return fit(self.label, self.label_size, self.w - 20)

    @property
    def short_sublabel(self):
        return fit(self.sublabel, self.sub_size, self.w - 20)

    @property
    def cx(self):
        return self.x + self.w / 2 + (3 if not self.more else 0)  # clear of the class stripe

    @property
    def text_y(self):
        return self.y + (21 if self.sublabel else self.h / 2 + 5)

    @property
    def sub_y(self):
        return self.y + 39

    @property
    def dot_x(self):
        return self.x + self.w - 9

    @property
    def dot_y(self):
        return self.y + 9

    @property
    def hops(self):
        return abs(self.level)

    @property
    def total(self):
        return self.shown + self.more

    def box(self):
        return (self.x, self.y, self.x + self.w, self.y + self.h)


@dataclass
class Edge:
    source: int
    target: int
    label: str
    peer: bool = False  # a peer link (connects_to): drawn dashed, without an arrow
    x1: float = 0
    y1: float = 0
    x2: float = 0
    y2: float = 0
    label_dy: float = 0  # label offset: a link within a row is labelled just above the row
    show_label: bool = True  # False where the label would cover another label or a node
    label_size: int = EDGE_FONT

    @property
    def mid_x(self):
        return (self.x1 + self.x2) / 2

    @property
    def mid_y(self):
        return (self.y1 + self.y2) / 2 + self.label_dy

    def label_box(self):
        half = text_width(self.label, self.label_size) / 2 + 3
        return (self.mid_x - half, self.mid_y - self.label_size + 1, self.mid_x + half, self.mid_y + 4)


@dataclass
class Diagram:
    width: float
    height: float
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    levels: dict[int, int] = field(default_factory=dict)  # level -> CIs drawn on it

    @property
    def more_nodes(self):
        return [node for node in self.nodes if node.more]


def _overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _order(layers, edges):
    """Sort each level by the barycentre of its neighbours already placed (nearest levels first)."""
    neighbours: dict[int, set[int]] = {}
    for edge in edges:
        neighbours.setdefault(edge.source, set()).add(edge.target)
        neighbours.setdefault(edge.target, set()).add(edge.source)
    order: dict[int, float] = {}
    for layer in sorted(layers, key=lambda layer: (abs(layer), layer)):
        nodes = layers[layer]
        original = {node.id: index for index, node in enumerate(nodes)}

        def key(node, original=original):
            placed = [order[n] for n in neighbours.get(node.id, ()) if n in order]
            return (sum(placed) / len(placed) if placed else float(original[node.id]), node.label)

        nodes.sort(key=key)
        for index, node in enumerate(nodes):
            order[node.id] = index - (len(nodes) - 1) / 2


def layout(layers: dict[int, list[Node]], edges: list[Edge], hidden: dict[int, int] | None = None,
           more_label: str = "+%(count)s more", more_urls: dict[int, str] | None = None,
           per_row: int = PER_ROW) -> Diagram:
    """Place `layers` (signed level → nodes) and route straight `edges` between them.

    `hidden` counts the CIs left out of a level: the level ends in a "+ N more" node whose
    link is `more_urls[level]` (if given). Node boxes never overlap; an edge label that would
    cover another label or a node is left to the edge's tooltip.
    """
    hidden = hidden or {}
    more_urls = more_urls or {}
    layers = {layer: list(nodes) for layer, nodes in layers.items() if nodes or hidden.get(layer)}
    _order(layers, edges)
    rows: dict[int, list[list[Node]]] = {}
    diagram = Diagram(width=0, height=0)
    for layer, nodes in layers.items():
        diagram.levels[layer] = len(nodes)
        rows[layer] = [nodes[start:start + per_row] for start in range(0, len(nodes), per_row)] or [[]]
        if hidden.get(layer):
            # Rides on the level's last row, even a full one: alone on a row it would read as a level.
            rows[layer][-1].append(Node(id=-(1000 + layer), label=more_label % {"count": hidden[layer]},
                                        url=more_urls.get(layer, ""), more=hidden[layer], level=layer,
                                        shown=len(nodes)))

    widest = max((len(row) for chunks in rows.values() for row in chunks), default=1) or 1
    diagram.width = MARGIN * 2 + widest * NODE_W + (widest - 1) * GAP_X
    y = MARGIN
    by_id = {}
    for layer in sorted(rows):
        for index, row in enumerate(rows[layer]):
            if index:
                y += NODE_H + ROW_GAP
            row_width = len(row) * NODE_W + (len(row) - 1) * GAP_X
            x = (diagram.width - row_width) / 2
            for node in row:
                node.x, node.y, node.level = x, y, layer
                x += NODE_W + GAP_X
                diagram.nodes.append(node)
                by_id[node.id] = node
        y += NODE_H + GAP_Y
    diagram.height = y - GAP_Y + MARGIN if rows else MARGIN * 2 + NODE_H

    boxes = [node.box() for node in diagram.nodes]
    labels = []
    for edge in edges:
        source, target = by_id.get(edge.source), by_id.get(edge.target)
        if source is None or target is None:
            continue
        # Arrows point from the CI that needs to the CI it needs.
        edge.x1, edge.x2 = source.cx, target.cx
        if source.y < target.y:
            edge.y1, edge.y2 = source.y + source.h, target.y
        elif source.y > target.y:
            edge.y1, edge.y2 = source.y, target.y + target.h
        else:
            edge.y1 = edge.y2 = source.y + source.h / 2
            edge.label_dy = -(source.h / 2 + 5)  # the gap between nodes is too narrow for text
            edge.x1 = source.x + (source.w if source.x < target.x else 0)
            edge.x2 = target.x + (0 if source.x < target.x else target.w)
        box = edge.label_box()
        edge.show_label = not any(_overlaps(box, other) for other in labels) and not any(
            _overlaps(box, node) for node in boxes)
        if edge.show_label:
            labels.append(box)
        diagram.edges.append(edge)
    return diagram
