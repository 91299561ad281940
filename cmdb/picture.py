"""The dependency picture component: the graph walk (cmdb.graph) turned into a laid-out
diagram (cmdb.diagram) with its legend. One builder serves the CI page, its full-screen view
and the change page (roots = the change's affected CIs, walked downstream to the business
services they reach, the walk change impact uses: dependency types only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from cmdb import diagram, graph
from cmdb.choices import PEER_TYPES, CIStatus

# How far the CI page looks each way; the change page walks as far as service impact does.
CI_DEPTH = 3
CHANGE_DEPTH = graph.SERVICE_DEPTH
PER_LEVEL = 12  # a level shows this many CIs, then "+ N more"
EXPANDED_LEVEL = 240  # an expanded level stops here: beyond it the impact list is the tool
DEFAULT_COLOUR = "#6c757d"
STATUS_COLOURS = {
    CIStatus.PLANNED: "#0d6efd",
    CIStatus.IN_USE: "#198754",
    CIStatus.MAINTENANCE: "#fd7e14",
    CIStatus.RETIRED: "#adb5bd",
}


@dataclass
class Picture:
    diagram: diagram.Diagram
    classes: list[tuple[str, str]] = field(default_factory=list)  # (colour, class name) drawn
    statuses: list[tuple[str, str]] = field(default_factory=list)  # (colour, status label) drawn
    expanded: list[int] = field(default_factory=list)
    page_url: str = ""  # the full-screen view of this picture

    @property
    def has_peers(self):
        return any(edge.peer for edge in self.diagram.edges)

    @property
    def empty(self):
        return len(self.diagram.nodes) <= 1 and not self.diagram.edges


def expanded_levels(values) -> set[int]:
    """The `expand` query values that name a level; anything else is ignored, not an error."""
    levels = set()
    for value in values or ():
        try:
            level = int(str(value).strip())
        except ValueError:
            continue
        if abs(level) <= graph.MAX_DEPTH:
            levels.add(level)
    return levels


def _url(page_url, levels):
    query = urlencode([("expand", level) for level in sorted(levels)])
    return f"{page_url}?{query}" if query else page_url


def draw(layers, edges, hidden, *, focus_ids=(), expanded=(), page_url="") -> Picture:
    """Lay out the CIs of `graph.neighbourhood` as the picture: nodes coloured by class, a dot
    by status, each linking to its CI page; a cut-short level links to itself expanded."""
    focus_ids = set(focus_ids)
    expanded = set(expanded)
    classes, statuses, nodes = {}, {}, {}
    for layer, members in layers.items():
        row = nodes.setdefault(layer, [])
        for item in members:
            colour = item.ci_class.colour or DEFAULT_COLOUR
            status = item.get_status_display()
            classes.setdefault(item.ci_class.display_name, colour)
            statuses.setdefault(status, STATUS_COLOURS.get(item.status, DEFAULT_COLOUR))
            row.append(diagram.Node(
                id=item.pk, label=item.name, sublabel=item.ci_class.display_name, colour=colour,
                url=item.get_absolute_url(), focus=item.pk in focus_ids, status=item.status,
                dot=STATUS_COLOURS.get(item.status, DEFAULT_COLOUR),
                title=f"{item.name} · {item.ci_class.display_name} · {status}"))
    # Peer links (connects_to) are drawn but are not dependencies: impact does not follow them.
    lines = [diagram.Edge(rel.source_id, rel.target_id,
                          _("peer link") if rel.type in PEER_TYPES else rel.get_type_display(),
                          peer=rel.type in PEER_TYPES)
             for rel in edges]
    more_urls = {layer: _url(page_url, expanded | {layer}) + "#dependency-picture" for layer in hidden} \
        if page_url else {}
    laid_out = diagram.layout(nodes, lines, hidden, more_label=_("+%(count)s more"), more_urls=more_urls,
                              per_row=PER_LEVEL)
    return Picture(
        diagram=laid_out,
        classes=sorted(((colour, name) for name, colour in classes.items()), key=lambda pair: pair[1].lower()),
        statuses=[(colour, label) for label, colour in statuses.items()],
        expanded=sorted(expanded),
        page_url=page_url,
    )


def ci_picture(ci, *, expand=(), page_url="", queryset=None) -> Picture:
    """`ci` in the middle, what needs it above, what it needs below (CI_DEPTH hops each way)."""
    expanded = expanded_levels(expand)
    layers, edges, hidden = graph.neighbourhood(ci, CI_DEPTH, PER_LEVEL, expand=expanded,
                                                expand_limit=EXPANDED_LEVEL, queryset=queryset)
    return draw(layers, edges, hidden, focus_ids={ci.pk}, expanded=expanded, page_url=page_url)


def impact_picture(ci_ids, *, expand=(), page_url="", queryset=None) -> Picture:
    """The CIs `ci_ids` at the bottom and, above them, everything that needs them up to the
    business services: what a change to them puts at risk."""
    expanded = expanded_levels(expand)
    ci_ids = [getattr(ci, "pk", ci) for ci in ci_ids]
    layers, edges, hidden = graph.neighbourhood(ci_ids, up=0, down=CHANGE_DEPTH, limit_per_layer=PER_LEVEL,
                                                peers=False, expand=expanded, expand_limit=EXPANDED_LEVEL,
                                                queryset=queryset)
    return draw(layers, edges, hidden, focus_ids=set(ci_ids), expanded=expanded, page_url=page_url)
