"""What capacity adds to the CMDB's CI page (core.panels "ci_main"): each metric's last value,
level, forecast and a year of daily averages and maxima."""

from accounts import roles
from capacity import selectors
from core import panels


def _chart(rows):
    charts = []
    for row in rows:
        points, forecast = row["points"], row["forecast"]
        trend = forecast.trend or []
        offset = len(points) - len(trend)
        charts.append({
            "id": row["metric"].pk, "key": row["metric"].key, "unit": row["metric"].unit,
            "labels": [p["day"].isoformat() for p in points],
            "max": [round(p["max"], 3) for p in points], "avg": [round(p["avg"], 3) for p in points],
            "trend": [None] * offset + trend, "capacity": row["metric"].maximum,
        })
    return charts


def ci_context(request, ci):
    if request is None or not roles.is_agent(request.user):
        return None
    rows = selectors.ci_capacity(ci)
    if not rows:
        return None
    return {"ci": ci, "rows": rows, "charts": _chart(rows)}


def register():
    panels.register("ci_main", "capacity/panels/_ci.html", ci_context, order=30)
