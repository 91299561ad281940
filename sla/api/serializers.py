"""API v1 service level management: calendars, definitions and clocks (with their events)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core import memo
from core.api.fields import VisiblePrimaryKeyRelatedField
from core.api.schema import HourMinuteField
from core.api.serializers import (VisibleRelationsSerializer, as_int, as_text, big_integer, choice_value,
                                  iso_writer, lazy_generic)
from sla import calendars
from sla.calendars import calendar_value
from sla.choices import ClockKind, EventKind, ExceptionKind, Weekday
from sla.engine import elapsed_at
from sla.models import BusinessCalendar, ClockEvent, EscalationRule, SLAClock, SLADefinition


# Where a list's queryset prefetches its tickets' clocks (Prefetch(..., to_attr=LISTED_CLOCKS)):
# a plain list per ticket. Prefetched into the relation itself, Django builds a filtered
# queryset for every ticket of the page to hold them (a quarter of the prefetch's CPU, issue 12).
LISTED_CLOCKS = "listed_sla_clocks"
# What SLAClockSerializer reads of a clock and its definition (a list may load only these; the
# definition's conditions and the clock's warnings are JSON decoded for nothing otherwise).
LISTED_CLOCK_COLUMNS = (
    "content_type", "object_id", "definition", "kind", "state", "priority", "target_minutes", "started_at",
    "segment_started_at", "due_at", "paused_at", "elapsed_business_seconds", "breached_at", "stopped_at",
    "definition__name", "definition__agreement", "definition__calendar",
)


# Where sla.api.rows leaves, on a listed clock's definition, its calendar's `updated_at`: the
# version sla.calendars keeps calendars under (a save of an interval or exception touches it).
LISTED_CALENDAR_VERSION = "_listed_calendar_version"


def calendar_row(calendar_id, generation=None):
    """The calendar row, kept in the process until a calendar changes (core.memo, watched in
    SLAConfig.ready): a running clock's live count needs its calendar, which was one query of
    every list and detail with a running clock (issue 12, third round). `generation`: the
    configuration generation the response read already (core.memo.memoised)."""
    return memo.memoised(f"sla.calendar:{calendar_id}",
                         lambda: BusinessCalendar.objects.filter(pk=calendar_id).first(), generation)


class TicketClocksSerializer(serializers.ListSerializer):
    """A ticket's clocks (`slas`): the list prefetched into LISTED_CLOCKS if there is one, else
    the relation named by `source`."""

    def get_attribute(self, instance):
        listed = getattr(instance, LISTED_CLOCKS, None)
        return listed if listed is not None else super().get_attribute(instance)


class SLAClockSerializer(VisibleRelationsSerializer):
    """A ticket's `slas` entry: {definition, kind, state, due_at, breached_at, elapsed_business_seconds}.

    `elapsed_business_seconds` is live for a running clock. Calendars are loaded once per
    response (one query per distinct calendar), so lists keep a constant query count.
    """

    definition_name = serializers.CharField(source="definition.name", read_only=True)
    agreement = serializers.CharField(source="definition.agreement", read_only=True)
    elapsed_business_seconds = serializers.SerializerMethodField()

    def get_elapsed_business_seconds(self, clock) -> int:
        if clock.stopped_at is not None or clock.paused_at is not None:
            return clock.elapsed_business_seconds
        cache = self.__dict__.get("_sla_calendars")
        if cache is None:
            root = self.root if self.root is not None else self
            context = root.context
            cache = context.setdefault("_sla_calendars", {}) if isinstance(context, dict) else {}
            self._sla_calendars = cache
        now = cache.get("_now")
        if now is None:
            now = cache["_now"] = timezone.now()
        definition = clock.definition
        calendar_id = definition.calendar_id
        calendar = cache.get(calendar_id)
        if calendar is None and calendar_id:
            # The calendar's version read with the clock (sla.api.rows): the value this process
            # built for it needs no read of the configuration's generation from the shared cache,
            # a round trip per list with a running clock (issue 12, eighth round).
            version = definition.__dict__.get(LISTED_CALENDAR_VERSION)
            if version is not None:
                calendar = calendars.held(calendar_id, version)
                if calendar is not None:
                    cache[calendar_id] = calendar
        if calendar is None:
            if calendar_id and SLADefinition.calendar.is_cached(definition):
                row = definition.calendar  # loaded with the definition (a ticket just created)
            elif calendar_id:
                # One read of the shared cache's generation per response, not one per calendar.
                if "_generation" not in cache:
                    cache["_generation"] = memo.generation()
                row = calendar_row(calendar_id, cache["_generation"])
            else:
                row = None
            calendar = cache[calendar_id] = calendar_value(row)
        # The count depends on these alone (and `now`, the response's): a ticket's clocks often
        # started together and counted nothing yet, so one count serves both (issue 12).
        key = ("_elapsed", calendar_id, clock.state, clock.segment_started_at, clock.elapsed_business_seconds)
        try:
            found = cache.get(key)
        except TypeError:  # an unhashable value: counted, not kept
            return elapsed_at(clock, now, calendar)
        if found is None:
            found = cache[key] = elapsed_at(clock, now, calendar)
        return found

    class Meta:
        model = SLAClock
        fields = [
            "id", "definition", "definition_name", "agreement", "kind", "state", "priority", "target_minutes",
            "started_at", "due_at", "paused_at", "breached_at", "stopped_at", "elapsed_business_seconds",
        ]
        read_only_fields = fields

    def compile_row(self):
        if type(self) is SLAClockSerializer:  # written for these fields (subclasses add theirs)
            row = clock_row(self, lazy_generic(self))
            if row is not None:
                return row
        return super().compile_row()


CLOCK_ROW_FIELDS = (
    ("id", serializers.BigIntegerField), ("definition", VisiblePrimaryKeyRelatedField),
    ("definition_name", serializers.CharField), ("agreement", serializers.CharField),
    ("kind", serializers.ChoiceField), ("state", serializers.ChoiceField), ("priority", serializers.IntegerField),
    ("target_minutes", serializers.IntegerField), ("started_at", serializers.DateTimeField),
    ("due_at", serializers.DateTimeField), ("paused_at", serializers.DateTimeField),
    ("breached_at", serializers.DateTimeField), ("stopped_at", serializers.DateTimeField),
    ("elapsed_business_seconds", serializers.SerializerMethodField),
)


def clock_row(serializer, generic):
    """SLAClockSerializer's representation of one clock written out field by field, as
    incidents.api.serializers.incident_row is for an incident (a list of 25 incidents shows 50
    clocks); None when the fields are not these. An error replays the row through `generic`."""
    fields = serializer.row_fields_as_written(CLOCK_ROW_FIELDS)
    if fields is None:
        return None
    id_ = big_integer(fields["id"])
    kind, state = ((fields[name].choice_strings_to_values, fields[name].to_representation) for name in ("kind", "state"))
    started, due, paused, breached, stopped = (
        fields[name].to_representation for name in ("started_at", "due_at", "paused_at", "breached_at", "stopped_at"))
    elapsed = serializer.get_elapsed_business_seconds
    iso = iso_writer(serializer, timezone.get_current_timezone())  # the response's (see incident_row)
    text_of = iso.texts.get  # an instant's text made already: one C call

    def row(clock):
        try:
            definition = clock.definition
            pk = clock.id
            started_at, due_at, paused_at, breached_at, stopped_at = (
                clock.started_at, clock.due_at, clock.paused_at, clock.breached_at, clock.stopped_at)
            return {
                "id": None if pk is None else id_(pk),
                "definition": clock.definition_id,
                "definition_name": as_text(definition.name),  # None: AttributeError, DRF's path
                "agreement": as_text(definition.agreement),
                "kind": choice_value(clock.kind, *kind),
                "state": choice_value(clock.state, *state),
                "priority": as_int(clock.priority),
                "target_minutes": as_int(clock.target_minutes),
                "started_at": None if started_at is None else text_of(started_at) or iso(started_at, started),
                "due_at": None if due_at is None else text_of(due_at) or iso(due_at, due),
                "paused_at": None if paused_at is None else text_of(paused_at) or iso(paused_at, paused),
                "breached_at": None if breached_at is None
                else text_of(breached_at) or iso(breached_at, breached),
                "stopped_at": None if stopped_at is None else text_of(stopped_at) or iso(stopped_at, stopped),
                "elapsed_business_seconds": elapsed(clock),
            }
        except Exception:  # noqa: BLE001 - DRF's path answers (or raises) as it always did
            return generic(clock)
    return row


class ClockDetailSerializer(SLAClockSerializer):
    ticket_type = serializers.SerializerMethodField()
    ticket_id = serializers.IntegerField(source="object_id", read_only=True)
    warnings_sent = serializers.ListField(read_only=True)

    class Meta(SLAClockSerializer.Meta):
        fields = SLAClockSerializer.Meta.fields + ["ticket_type", "ticket_id", "warnings_sent", "next_check_at"]
        read_only_fields = fields

    def get_ticket_type(self, clock) -> str:
        content_type = clock.content_type
        return f"{content_type.app_label}.{content_type.model}"


class ClockEventSerializer(VisibleRelationsSerializer):
    actor = serializers.StringRelatedField(allow_null=True)
    calendar_name = serializers.SerializerMethodField()

    class Meta:
        model = ClockEvent
        fields = ["id", "kind", "at", "recorded_at", "actor", "calendar", "calendar_name", "calendar_fingerprint",
                  "target_minutes", "elapsed_business_seconds", "due_at", "threshold", "data"]
        read_only_fields = fields

    def get_calendar_name(self, event) -> str | None:
        return event.calendar.name if event.calendar_id else None


class ExplainStepSerializer(serializers.Serializer):
    """One event of `clocks/{id}/explain/`, with the business time counted up to it."""

    kind = serializers.ChoiceField(choices=EventKind.choices)
    label = serializers.CharField()
    at = serializers.DateTimeField()
    recorded_at = serializers.DateTimeField()
    actor = serializers.CharField(allow_null=True)
    elapsed_business_seconds = serializers.IntegerField()
    elapsed_business_minutes = serializers.FloatField()
    target_minutes = serializers.IntegerField()
    due_at = serializers.DateTimeField(allow_null=True)
    calendar = serializers.CharField(help_text=_("The calendar's name, or 24×7 without one."))
    calendar_fingerprint = serializers.CharField()
    detail = serializers.DictField(help_text=_("What the event recorded (and its threshold for a warning)."))


class ClockExplanationSerializer(serializers.Serializer):
    """`clocks/{id}/explain/`: why the clock breached (or not)."""

    clock = serializers.IntegerField()
    summary = serializers.CharField()
    elapsed_business_seconds = serializers.IntegerField()
    target_minutes = serializers.IntegerField()
    breached_at = serializers.DateTimeField(allow_null=True)
    events = ExplainStepSerializer(many=True)


class WorkingHoursSerializer(serializers.Serializer):
    weekday = serializers.ChoiceField(choices=Weekday.choices, help_text=_("0 = Monday … 6 = Sunday"))
    start = HourMinuteField()
    end = HourMinuteField(help_text=_("00:00 means midnight at the end of the day."))


class CustomDateSerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=ExceptionKind.choices)
    start = HourMinuteField(required=False, allow_null=True)
    end = HourMinuteField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=200)


class HolidaysSerializer(serializers.Serializer):
    country = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")
    subdivision = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    language = serializers.CharField(max_length=10, required=False, allow_blank=True, default="ko")
    custom_dates = CustomDateSerializer(many=True, required=False)


class BusinessCalendarSerializer(VisibleRelationsSerializer):
    working_hours = WorkingHoursSerializer(many=True, required=False)
    holidays = HolidaysSerializer(required=False)

    class Meta:
        model = BusinessCalendar
        fields = ["id", "name", "description", "time_zone", "always_open", "working_hours", "holidays", "updated_at"]
        read_only_fields = ["id", "updated_at"]
        # Uniqueness and the other row rules are checked by the service's full_clean.
        extra_kwargs = {"name": {"validators": []}}

    def to_representation(self, calendar):
        data = super().to_representation(calendar)
        data["working_hours"] = [
            {"weekday": i.weekday, "start": f"{i.start:%H:%M}", "end": f"{i.end:%H:%M}"} for i in calendar.intervals.all()
        ]
        data["holidays"] = {
            "country": calendar.holiday_country, "subdivision": calendar.holiday_subdivision,
            "language": calendar.holiday_language,
            "custom_dates": [
                {"date": e.date.isoformat(), "kind": e.kind, "start": f"{e.start:%H:%M}" if e.start else None,
                 "end": f"{e.end:%H:%M}" if e.end else None, "reason": e.reason} for e in calendar.exceptions.all()
            ],
        }
        return data


class TargetSerializer(serializers.Serializer):
    priority = serializers.IntegerField()
    response_minutes = serializers.IntegerField(required=False, allow_null=True)
    resolution_minutes = serializers.IntegerField(required=False, allow_null=True)


class EscalationRuleSerializer(VisibleRelationsSerializer):
    # "" means both clock kinds / no webhook: said so here, as the model's defaults would not.
    kind = serializers.ChoiceField(choices=ClockKind.choices, allow_blank=True, read_only=True)
    webhook_url = serializers.URLField(allow_blank=True, read_only=True)

    class Meta:
        model = EscalationRule
        fields = ["id", "kind", "threshold", "action", "target_group", "webhook_url", "message", "active"]
        read_only_fields = fields


class SLADefinitionSerializer(VisibleRelationsSerializer):
    ticket_type = serializers.CharField(help_text=_("app_label.model, e.g. incidents.incident"))
    targets = TargetSerializer(many=True, required=False)
    calendar = VisiblePrimaryKeyRelatedField(queryset=BusinessCalendar.objects.all(), allow_null=True,
                                             required=False)
    applies_to = serializers.JSONField(required=False)
    pause_states = serializers.JSONField(required=False)
    warning_thresholds = serializers.JSONField(required=False)
    escalation_rules = EscalationRuleSerializer(many=True, read_only=True)

    class Meta:
        model = SLADefinition
        fields = ["id", "name", "agreement", "active", "ticket_type", "applies_to", "targets", "calendar",
                  "pause_states", "warning_thresholds", "on_reopen", "on_priority_change", "stop_at",
                  "escalation_rules", "updated_at"]
        read_only_fields = ["id", "updated_at"]
        extra_kwargs = {"name": {"validators": []}}

    def to_representation(self, definition):
        data = super().to_representation(definition)
        data["ticket_type"] = f"{definition.ticket_type.app_label}.{definition.ticket_type.model}"
        data["targets"] = [
            {"priority": t.priority, "response_minutes": t.response_minutes, "resolution_minutes": t.resolution_minutes}
            for t in definition.targets.all()
        ]
        return data
