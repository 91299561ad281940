"""Desk forms of the SLA configuration: a calendar (weekly hours entered once for several
weekdays, its own dates), a definition (targets per priority with their unit, conditions)
and an escalation rule. They check what a person typed, row by row, so each refusal sits on
the field at fault; sla.services checks again and writes."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, Team
from core.tickets import ticket_models
from core.web import bootstrapify
from sla.choices import EscalationAction, ExceptionKind, Weekday
from sla.configuration import amount_and_unit, expand_weekly_hours, group_weekly_hours, minutes_of
from sla.models import BusinessCalendar, EscalationRule, SLADefinition, interval_overlaps, is_midnight

PRIORITIES = (1, 2, 3, 4, 5)
TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M")


def _ends_after(start, end):
    return is_midnight(end) or end > start


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CalendarForm(VersionedForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    description = forms.CharField(label=gettext_lazy("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    time_zone = forms.CharField(label=gettext_lazy("Time zone"), max_length=64, initial="Asia/Seoul")
    always_open = forms.BooleanField(label=gettext_lazy("24×7 (hours and holidays are ignored)"), required=False)
    holiday_country = forms.CharField(label=gettext_lazy("Public holidays of (country code)"), max_length=8,
                                      required=False, initial="KR",
                                      help_text=gettext_lazy("e.g. KR; empty for no public holidays."))
    holiday_subdivision = forms.CharField(label=gettext_lazy("Region (optional)"), max_length=16, required=False)
    holiday_language = forms.CharField(label=gettext_lazy("Language of holiday names"), max_length=10,
                                       required=False, initial="ko")

    def __init__(self, *args, calendar=None, **kwargs):
        if calendar is not None and calendar.pk:
            kwargs.setdefault("initial", {
                **{name: getattr(calendar, name) for name in (
                    "name", "description", "time_zone", "always_open", "holiday_country", "holiday_subdivision",
                    "holiday_language")},
                "version": calendar.version})
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class HoursRowForm(forms.Form):
    """One row of weekly hours: the weekdays ticked share the hours typed once."""

    weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Weekdays"), choices=Weekday.choices, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    start = forms.TimeField(label=gettext_lazy("From"), required=False, widget=TIME_WIDGET)
    end = forms.TimeField(label=gettext_lazy("To"), required=False, widget=TIME_WIDGET,
                          help_text=gettext_lazy("00:00 is midnight at the end of the day."))

    def clean(self):
        data = super().clean()
        weekdays, start, end = data.get("weekdays"), data.get("start"), data.get("end")
        if not weekdays and start is None and end is None and not self.errors:
            data["blank"] = True
            return data
        if not weekdays:
            self.add_error("weekdays", _("Tick the weekdays these hours apply to."))
        if start is None and "start" not in self.errors:
            self.add_error("start", _("Give the start time."))
        if end is None and "end" not in self.errors:
            self.add_error("end", _("Give the end time."))
        if start is not None and end is not None and not _ends_after(start, end):
            self.add_error("end", _("The end must be after the start."))
        return data


class BaseHoursFormSet(forms.BaseFormSet):
    def rows(self):
        return [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("blank")]

    def clean(self):
        if any(self.errors):
            return
        intervals = expand_weekly_hours(self.rows())
        clash = interval_overlaps([(i["weekday"], i["start"], i["end"]) for i in intervals])
        if clash:
            first, second = clash
            raise forms.ValidationError(_("%(day)s: %(a)s–%(b)s overlaps %(c)s–%(d)s.") % {
                "day": Weekday(first[0]).label, "a": f"{first[3]:%H:%M}", "b": f"{first[4]:%H:%M}",
                "c": f"{second[3]:%H:%M}", "d": f"{second[4]:%H:%M}"})

    def working_hours(self):
        return [{"weekday": i["weekday"], "start": i["start"], "end": i["end"]}
                for i in expand_weekly_hours(self.rows())]


HoursFormSet = forms.formset_factory(HoursRowForm, formset=BaseHoursFormSet, extra=2, max_num=14,
                                     validate_max=True)


class DateRowForm(forms.Form):
    """One of the calendar's own dates: an extra holiday, or a working day (full or custom hours)."""

    date = forms.DateField(label=gettext_lazy("Date"), required=False,
                           widget=forms.DateInput(attrs={"type": "date", "class": "form-control"},
                                                  format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ExceptionKind.choices,
                             initial=ExceptionKind.CLOSED,
                             widget=forms.Select(attrs={"class": "form-select"}))
    start = forms.TimeField(label=gettext_lazy("From"), required=False, widget=TIME_WIDGET)
    end = forms.TimeField(label=gettext_lazy("To"), required=False, widget=TIME_WIDGET)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False,
                             widget=forms.TextInput(attrs={"class": "form-control"}))

    def clean(self):
        data = super().clean()
        day, start, end, reason = data.get("date"), data.get("start"), data.get("end"), data.get("reason")
        if day is None and start is None and end is None and not reason and not self.errors:
            data["blank"] = True
            return data
        if day is None and "date" not in self.errors:
            self.add_error("date", _("Give the date."))
        if not reason:
            self.add_error("reason", _("Give a reason for the exception."))
        if (start is None) != (end is None):
            self.add_error("end" if end is None else "start", _("Give both start and end, or neither."))
        elif start is not None:
            if data.get("kind") == ExceptionKind.CLOSED:
                self.add_error("start", _("A closed date has no hours."))
            elif not _ends_after(start, end):
                self.add_error("end", _("The end must be after the start."))
        return data


class BaseDatesFormSet(forms.BaseFormSet):
    def custom_dates(self):
        return [{k: f.cleaned_data[k] for k in ("date", "kind", "start", "end", "reason")}
                for f in self.forms if f.cleaned_data and not f.cleaned_data.get("blank")]


DatesFormSet = forms.formset_factory(DateRowForm, formset=BaseDatesFormSet, extra=2, max_num=200,
                                     validate_max=True)


def calendar_formsets(data=None, calendar=None):
    """The hours and dates formsets, filled from the calendar when editing."""
    hours_initial = dates_initial = None
    if calendar is not None and calendar.pk and data is None:
        hours_initial = group_weekly_hours(calendar.intervals.all())
        dates_initial = [{"date": e.date, "kind": e.kind, "start": e.start, "end": e.end, "reason": e.reason}
                         for e in calendar.exceptions.all()]
    return (HoursFormSet(data, prefix="hours", initial=hours_initial),
            DatesFormSet(data, prefix="dates", initial=dates_initial))


def _comma_list(value):
    return [part.strip() for part in (value or "").split(",") if part.strip()]


class DefinitionForm(VersionedForm):
    """The agreement, its conditions and its targets: per priority a response and a resolution
    target, each an amount with its unit."""

    UNIT_CHOICES = [("", "—"), ("minutes", gettext_lazy("minutes")), ("hours", gettext_lazy("hours"))]

    name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    agreement = forms.ChoiceField(label=gettext_lazy("Agreement"), choices=SLADefinition._meta.get_field(
        "agreement").choices)
    active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)
    ticket_type = forms.ModelChoiceField(label=gettext_lazy("Ticket type"), queryset=ContentType.objects.none())
    calendar = forms.ModelChoiceField(label=gettext_lazy("Business calendar"),
                                      queryset=BusinessCalendar.objects.all(),
                                      required=False, empty_label=gettext_lazy("24×7 (no calendar)"))
    priorities = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Applies to priorities"), choices=[(p, f"P{p}") for p in PRIORITIES], coerce=int,
        required=False, widget=forms.CheckboxSelectMultiple, help_text=gettext_lazy("None ticked: every priority."))
    assignment_groups = forms.ModelMultipleChoiceField(label=gettext_lazy("Applies to assignment groups"),
                                                       queryset=Team.objects.order_by("name"), required=False)
    organisations = forms.ModelMultipleChoiceField(label=gettext_lazy("Applies to organisations"),
                                                   queryset=Organisation.objects.order_by("name"), required=False)
    pause_states = forms.CharField(label=gettext_lazy("Pause while"), required=False,
                                   help_text=gettext_lazy("States (state or state:reason), separated by commas."))
    warning_thresholds = forms.CharField(
        label=gettext_lazy("Warn at (percentage of target)"), required=False,
        help_text=gettext_lazy("Whole percentages separated by commas, e.g. 50, 75, 90."))
    on_reopen = forms.ChoiceField(label=gettext_lazy("On reopen"),
                                  choices=SLADefinition._meta.get_field("on_reopen").choices)
    on_priority_change = forms.ChoiceField(label=gettext_lazy("On priority change"),
                                           choices=SLADefinition._meta.get_field("on_priority_change").choices)
    stop_at = forms.ChoiceField(label=gettext_lazy("Stop at"),
                                choices=SLADefinition._meta.get_field("stop_at").choices)

    def __init__(self, *args, definition=None, **kwargs):
        self.definition = definition
        if definition is not None and definition.pk:
            kwargs.setdefault("initial", self.initial_of(definition))
        super().__init__(*args, **kwargs)
        types = [ContentType.objects.get_for_model(m).pk for m in ticket_models()]
        self.fields["ticket_type"].queryset = ContentType.objects.filter(pk__in=types).order_by("model")
        self.fields["ticket_type"].label_from_instance = (
            lambda ct: str(ct.model_class()._meta.verbose_name).capitalize())
        for priority in PRIORITIES:
            for kind, label in (("response", _("P%(p)s response") % {"p": priority}),
                                ("resolution", _("P%(p)s resolution") % {"p": priority})):
                self.fields[f"{kind}_{priority}"] = forms.IntegerField(label=label, required=False, min_value=1,
                                                                      max_value=10**6)
                self.fields[f"{kind}_unit_{priority}"] = forms.ChoiceField(
                    label=_("%(target)s unit") % {"target": label}, choices=self.UNIT_CHOICES, required=False)
        bootstrapify(self, multiple_select_size=4)

    @staticmethod
    def initial_of(definition):
        applies = definition.applies_to or {}
        initial = {name: getattr(definition, name) for name in (
            "name", "agreement", "active", "on_reopen", "on_priority_change", "stop_at")}
        initial.update(version=definition.version, ticket_type=definition.ticket_type_id,
                       calendar=definition.calendar_id, priorities=applies.get("priorities", []),
                       assignment_groups=applies.get("assignment_groups", []),
                       organisations=applies.get("organisations", []),
                       pause_states=", ".join(definition.pause_states or []),
                       warning_thresholds=", ".join(str(t) for t in definition.warning_thresholds or []))
        for target in definition.targets.all():
            for kind in ("response", "resolution"):
                amount, unit = amount_and_unit(getattr(target, f"{kind}_minutes"))
                initial[f"{kind}_{target.priority}"] = amount
                initial[f"{kind}_unit_{target.priority}"] = unit if amount is not None else ""
        return initial

    def target_rows(self):
        """[(priority, (amount field, unit field), (amount field, unit field))] for the template."""
        return [(p, (self[f"response_{p}"], self[f"response_unit_{p}"]),
                 (self[f"resolution_{p}"], self[f"resolution_unit_{p}"])) for p in PRIORITIES]

    def clean_warning_thresholds(self):
        parts = _comma_list(self.cleaned_data["warning_thresholds"])
        try:
            return [int(p) for p in parts]
        except ValueError:
            raise forms.ValidationError(_("Warning thresholds are whole percentages between 1 and 99, "
                                          "e.g. 50, 75, 90."))

    def clean(self):
        data = super().clean()
        any_target = False
        for priority in PRIORITIES:
            for kind in ("response", "resolution"):
                amount, unit = data.get(f"{kind}_{priority}"), data.get(f"{kind}_unit_{priority}")
                if amount is not None and not unit:
                    self.add_error(f"{kind}_unit_{priority}", _("Choose the unit of this target."))
                any_target = any_target or amount is not None
        if not any_target and not self.errors:
            self.add_error(None, _("Give at least one target."))
        return data

    def targets(self):
        rows = []
        for priority in PRIORITIES:
            minutes = {kind: minutes_of(self.cleaned_data.get(f"{kind}_{priority}"),
                                        self.cleaned_data.get(f"{kind}_unit_{priority}"))
                       for kind in ("response", "resolution")}
            if minutes["response"] is not None or minutes["resolution"] is not None:
                rows.append({"priority": priority, "response_minutes": minutes["response"],
                             "resolution_minutes": minutes["resolution"]})
        return rows

    def service_fields(self):
        data = self.cleaned_data
        # Conditions this form does not edit (services, categories, suppliers) are kept as they were.
        applies = {k: v for k, v in ((self.definition.applies_to if self.definition else None) or {}).items()
                   if k not in ("priorities", "assignment_groups", "organisations")}
        if data["priorities"]:
            applies["priorities"] = sorted(data["priorities"])
        for key in ("assignment_groups", "organisations"):
            if data[key]:
                applies[key] = sorted(obj.pk for obj in data[key])
        return {
            "name": data["name"], "agreement": data["agreement"], "active": data["active"],
            "ticket_type": data["ticket_type"], "calendar": data["calendar"], "applies_to": applies,
            "pause_states": _comma_list(data["pause_states"]), "warning_thresholds": data["warning_thresholds"],
            "on_reopen": data["on_reopen"], "on_priority_change": data["on_priority_change"],
            "stop_at": data["stop_at"],
        }


class EscalationRuleForm(VersionedForm):
    kind = forms.ChoiceField(label=gettext_lazy("Clock"), required=False, choices=[
        ("", gettext_lazy("Response and resolution"))] + list(EscalationRule._meta.get_field("kind").choices))
    threshold = forms.IntegerField(label=gettext_lazy("At (percentage of target)"), min_value=1, max_value=100, initial=100,
                                   help_text=gettext_lazy("100 is the breach; otherwise one of the definition's "
                                                          "warning thresholds."))
    action = forms.ChoiceField(label=gettext_lazy("Action"), choices=EscalationAction.choices)
    target_group = forms.ModelChoiceField(label=gettext_lazy("Reassign to group"), queryset=Team.objects.order_by(
        "name"), required=False)
    webhook_url = forms.URLField(label=gettext_lazy("Webhook URL"), required=False, assume_scheme="https")
    message = forms.CharField(label=gettext_lazy("Message"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)

    FIELDS = ("kind", "threshold", "action", "target_group", "webhook_url", "message", "active")

    def __init__(self, *args, rule=None, **kwargs):
        if rule is not None and rule.pk:
            kwargs.setdefault("initial", {**{name: getattr(rule, name) for name in self.FIELDS},
                                          "target_group": rule.target_group_id, "version": rule.version})
        super().__init__(*args, **kwargs)
        bootstrapify(self)

    def service_fields(self):
        return {name: self.cleaned_data[name] for name in self.FIELDS}
