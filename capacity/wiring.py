"""Samples that arrive as monitoring events: monitoring publishes "metric.reported" for an event
whose labels carry `metric` and `value`; capacity records it inside the same transaction."""

from core import events


def on_metric_reported(event):
    from capacity import services

    data = event.data
    services.record_samples([{"ci": data.get("ci_id") or data.get("ci"), "metric": data.get("metric"),
                              "value": data.get("value"), "unit": data.get("unit") or "", "at": data.get("at")}],
                            actor=event.actor, channel=event.channel, single=True, prefix="labels.")


def register():
    events.on("metric.reported")(on_metric_reported)
