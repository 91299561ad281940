"""Layered layout of a dependency picture, drawn server-side as SVG: plain Python, no ORM.

Layers are rows (negative above the focus CI, positive below); within a row nodes are ordered
by the mean position of their neighbours in the row nearer the focus (one barycentre pass),
which keeps most edges short and uncrossed without any JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NODE_W = 168
NODE_H = 44
GAP_X = 24
GAP_Y = 70
MARGIN = 20


@dataclass
class Node:
    id: int
    label: str
    sublabel: str = ""
    colour: str = "#6c757d"
    url: str = ""
    focus: bool = False
    x: float = 0
    y: float = 0
    w: float = NODE_W
    h: float = NODE_H

    @property
    def short_label(self):
        return self.label if len(self.label) <= 22 else self.label[:21] + "…"

    @property
    def cx(self):
        return self.x + self.w / 2

    @property
    def text_y(self):
        return self.y + 18

    @property
    def sub_y(self):
        return self.y + 34


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

    @property
    def mid_x(self):
        return (self.x1 + self.x2) / 2

    label_dy: float = 0  # label offset: a link within a row is labelled just above the row

    @property
    def mid_y(self):
        return (self.y1 + self.y2) / 2 + self.label_dy


@dataclass
class Diagram:
    width: float
    height: float
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    notes: list[tuple[float, float, str]] = field(default_factory=list)


def layout(layers: dict[int, list[Node]], edges: list[Edge], hidden: dict[int, int] | None = None,
           more_label: str = "+%(count)s more") -> Diagram:
    """Place `layers` (signed row number → nodes) and route straight `edges` between them."""
    hidden = hidden or {}
    neighbours: dict[int, set[int]] = {}
    for edge in edges:
        neighbours.setdefault(edge.source, set()).add(edge.target)
        neighbours.setdefault(edge.target, set()).add(edge.source)

    order: dict[int, float] = {}
    rows = sorted(layers, key=lambda layer: (abs(layer), layer))
    for layer in rows:
        nodes = layers[layer]
        original = {node.id: index for index, node in enumerate(nodes)}

        def key(node, original=original):
            placed = [order[n] for n in neighbours.get(node.id, ()) if n in order]
            return (sum(placed) / len(placed) if placed else float(original[node.id]), node.label)

        nodes.sort(key=key)
        for index, node in enumerate(nodes):
            order[node.id] = index - (len(nodes) - 1) / 2

    widest = max((len(nodes) + (1 if hidden.get(layer) else 0) for layer, nodes in layers.items()), default=1)
    width = MARGIN * 2 + widest * NODE_W + (widest - 1) * GAP_X
    top = min(layers, default=0)
    bottom = max(layers, default=0)
    height = MARGIN * 2 + (bottom - top + 1) * NODE_H + (bottom - top) * GAP_Y
    diagram = Diagram(width=width, height=height)
    by_id = {}
    for layer in sorted(layers):
        nodes = layers[layer]
        count = len(nodes) + (1 if hidden.get(layer) else 0)
        row_width = count * NODE_W + (count - 1) * GAP_X
        x = (width - row_width) / 2
        y = MARGIN + (layer - top) * (NODE_H + GAP_Y)
        for node in nodes:
            node.x, node.y = x, y
            x += NODE_W + GAP_X
            diagram.nodes.append(node)
            by_id[node.id] = node
        if hidden.get(layer):
            diagram.notes.append((x + NODE_W / 2, y + NODE_H / 2 + 4, more_label % {"count": hidden[layer]}))
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
        diagram.edges.append(edge)
    return diagram
