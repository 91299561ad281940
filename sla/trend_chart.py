"""Geometry of the monthly report's 12-month trend chart, drawn by the template as inline SVG.

Server-rendered: no JavaScript library, and no style attributes (the Content-Security-Policy
refuses them), only SVG attributes and the classes of static/css/sla-report.css. Opened and
resolved are bars, the backlog at month end a line; the page shows the same numbers in a table.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 58, 12, 16, 84
TICKS = 4


def nice_step(maximum, ticks=TICKS):
    """The smallest of 1, 2, 5 × 10ⁿ that covers `maximum` in `ticks` steps (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor * ticks >= maximum:
                return step * factor
        step *= 10


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int


@dataclass
class Month:
    label: str
    short: str  # the month's number under its bars; the year under January and the first month
    year: str
    x: float  # centre of the month's slot
    opened: Bar
    resolved: Bar
    backlog_y: float
    backlog: int


def build(trend):
    """trend: [Figures] oldest first → what the template draws."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    maximum = max([0] + [max(f.opened, f.resolved, f.backlog) for f in trend])
    step = nice_step(maximum)
    top_value = step * TICKS
    slot = plot_width / max(1, len(trend))
    bar = slot * 0.32
    baseline = TOP + plot_height

    def y(value):
        return round(baseline - plot_height * value / top_value, 1)

    months = []
    for index, figures in enumerate(trend):
        centre = LEFT + slot * index + slot / 2
        opened_y, resolved_y = y(figures.opened), y(figures.resolved)
        months.append(Month(
            label=figures.month.strftime("%Y-%m"), short=figures.month.strftime("%m"),
            year=str(figures.month.year) if index == 0 or figures.month.month == 1 else "", x=round(centre, 1),
            opened=Bar(round(centre - bar, 1), opened_y, round(bar, 1), round(baseline - opened_y, 1), figures.opened),
            resolved=Bar(round(centre, 1), resolved_y, round(bar, 1), round(baseline - resolved_y, 1),
                         figures.resolved),
            backlog_y=y(figures.backlog), backlog=figures.backlog,
        ))
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "baseline": baseline,
        "ticks": [{"value": step * i, "y": y(step * i)} for i in range(TICKS + 1)],
        "months": months,
        "backlog_points": " ".join(f"{m.x},{m.backlog_y}" for m in months),
        "label_y": baseline + 6, "legend_y": HEIGHT - 8, "axis_label_x": 12, "axis_label_y": TOP + plot_height / 2,
    }
