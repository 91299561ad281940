"""Forms of the agent desk and the portal. They validate input only; views hand cleaned data to services."""

import functools

from django import forms
from django.db import connection
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import Team, User
from cmdb.models import ConfigurationItem
from incidents.choices import IncidentState, OnHoldReason, Priority, ResolutionCode, Urgency
from incidents.models import Category, Incident
from core import choices_memo
from core.forms import MultipleFileField, fields_copied_by_hand
from core.pickers import use_picker
from core.selects import Columns, fetch
from core.web import bootstrapify  # noqa: F401  (re-exported for views)

EDIT_FIELDS = [
    "title", "description", "caller", "category", "subcategory", "service", "configuration_item", "impact",
    "urgency", "assignment_group", "assigned_to", "is_major", "parent",
]


# Team's ordering is its name: the record page's, the queue filters' and the bulk form's team lists
# are one list (core.choices_memo).
TEAMS = "accounts.teams"


def agents():
    return User.objects.filter(is_active=True, groups__name__in=list(roles.DESK_ROLES)).distinct() \
        .order_by("display_name", "username")


@functools.cache
def _kept_agents():
    """agents(), built once per process for the bulk form, which the queue page makes on every
    request: building its filter was ~1,300 Python lines a page (issue 12, ninth round). Never
    evaluated itself: the field takes a clone (ModelChoiceField.queryset's setter)."""
    return agents()


@functools.cache
def record_querysets():
    """The record form's option querysets, built once per process (issue 12, sixth round: building
    their filters was a tenth of the form's construction on every record page). They are never
    evaluated themselves: a field takes a clone of what it is given."""
    return {
        "category": Category.objects.filter(parent=None, active=True),
        "subcategory": Category.objects.exclude(parent=None).filter(active=True).select_related("parent"),
        "service": ConfigurationItem.objects.business_services().active(),
        "assignment_group": Team.objects.order_by("name"),
        "parent": Incident.objects.filter(is_major=True).exclude(
            state__in=[IncidentState.CLOSED, IncidentState.CANCELLED]),
    }


@functools.cache
def _open_majors_statement():
    """The parent select's options as record_querysets()["parent"] lists them (open major incidents,
    in the model's order), written once per process: the ORM compiled it on every record page
    (issue 12, seventh round). Only what an option shows is read (Incident.__str__: number, title)."""
    quote = connection.ops.quote_name
    meta = Incident._meta
    columns = Columns(Incident, "t", ("id", "number", "title"))
    order = ", ".join(f"t.{quote(meta.get_field(name.lstrip('-')).column)}{' DESC' if name.startswith('-') else ''}"
                      for name in meta.ordering)
    sql = (f"SELECT {columns.sql} FROM {quote(meta.db_table)} t WHERE t.{quote(meta.get_field('is_major').column)} "
           f"AND NOT (t.{quote(meta.get_field('state').column)} = ANY(%s)) ORDER BY {order}")
    return sql, columns


class _OpenMajors:
    """Stands in for the parent field's queryset inside its choice iterator (which reads
    `_prefetch_related_lookups`, `iterator()`, `count()` and `exists()`); the field's queryset
    stays the ORM's, which validates a posted value."""

    _prefetch_related_lookups = ()

    def iterator(self):
        sql, columns = _open_majors_statement()
        return iter([columns.load(row) for row in fetch(sql, [[IncidentState.CLOSED.value,
                                                                IncidentState.CANCELLED.value]])])

    __iter__ = iterator

    def count(self):
        return len(list(self.iterator()))

    def exists(self):
        return bool(self.count())


class OpenMajorsIterator(ModelChoiceIterator):
    def __init__(self, field):
        super().__init__(field)
        self.queryset = _OpenMajors()


@fields_copied_by_hand
class IncidentForm(forms.ModelForm):
    """Create or edit an incident's fields on the desk (state changes use IncidentTransitionForm)."""

    priority = forms.TypedChoiceField(
        label=_("Priority override"), coerce=int, required=False, empty_value=None,
        choices=[("", _("From impact × urgency"))] + list(Priority.choices),
    )
    priority_override_reason = forms.CharField(label=_("Reason for priority override"), required=False,
                                               max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Incident
        fields = EDIT_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Thousands of staff and a CMDB of 100,000 CIs: pickers that suggest as one types.
        caller_field = use_picker(self, "caller", "person", required=False)
        caller_field.widget.attrs["placeholder"] = _("Type a name (empty: yourself)")
        if self.instance.pk:
            caller_field.widget.attrs["placeholder"] = _("Type a name (empty: keep the caller)")
        querysets = record_querysets()
        for name in ("category", "subcategory", "service", "assignment_group", "parent"):
            self.fields[name].queryset = querysets[name]
        use_picker(self, "configuration_item", "ci")
        # The same lists on every record page: kept per process (issue 12, core.choices_memo).
        choices_memo.memoise(self.fields["category"], "incidents.active_categories")
        choices_memo.memoise(self.fields["subcategory"], "incidents.active_subcategories")
        choices_memo.memoise(self.fields["service"], "cmdb.active_business_services")
        choices_memo.memoise(self.fields["assignment_group"], TEAMS)
        use_picker(self, "assigned_to", "agent")
        parent = self.fields["parent"]
        parent.iterator = OpenMajorsIterator
        parent.widget.choices = parent.choices
        parent.label = _("Parent major incident")
        parent.help_text = ""
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            if self.instance.priority_override:
                self.fields["priority"].initial = self.instance.priority
                self.fields["priority_override_reason"].initial = self.instance.priority_override_reason
        bootstrapify(self)

    def _post_clean(self):
        # Validation of the row happens in the services (one place for API and desk).
        pass

    def changes(self):
        data = {name: self.cleaned_data.get(name) for name in EDIT_FIELDS}
        if data["caller"] is None:
            data.pop("caller")
        if self.cleaned_data.get("priority") is not None:
            data["priority"] = self.cleaned_data["priority"]
            data["priority_override_reason"] = self.cleaned_data.get("priority_override_reason", "")
        elif self.instance.pk and self.instance.priority_override:
            data["priority_override"] = False  # the override was cleared in the form
        return data


# The categories' limit_choices_to (top level, or not) is in the querysets record_querysets() gives
# these fields; ModelForm applying it again to the querysets they replace was a third of the form's
# construction (issue 12, sixth round).
for _name in ("category", "subcategory"):
    IncidentForm.base_fields[_name].limit_choices_to = None
# Every IncidentForm gives these fields their querysets (record_querysets()) or replaces them by
# pickers (which take only their label, required and help text): the class's own querysets were
# cloned by each form's deep copy of its fields for nothing (issue 12, seventh round).
for _name in ("category", "subcategory", "service", "assignment_group", "parent", "caller", "configuration_item",
              "assigned_to"):
    IncidentForm.base_fields[_name].queryset = None


@fields_copied_by_hand
class IncidentTransitionForm(forms.Form):
    state = forms.ChoiceField(label=_("New state"), choices=IncidentState.choices)
    on_hold_reason = forms.ChoiceField(label=_("On-hold reason"), required=False,
                                       choices=[("", "—")] + list(OnHoldReason.choices))
    resolution_code = forms.ChoiceField(label=_("Resolution code"), required=False,
                                        choices=[("", "—")] + list(ResolutionCode.choices))
    resolution_notes = forms.CharField(label=_("Resolution notes"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}))
    resolve_children = forms.BooleanField(label=_("Also resolve the open child incidents"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["state"].choices = [(v, l) for v, l in IncidentState.choices if v in allowed]
        bootstrapify(self)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    internal = forms.BooleanField(label=_("Work note (service desk only)"), required=False)
    files = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, allow_internal=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_internal:
            del self.fields["internal"]
        bootstrapify(self)


@fields_copied_by_hand
class BulkUpdateForm(forms.Form):
    incidents = forms.ModelMultipleChoiceField(queryset=Incident.objects.all(), widget=forms.MultipleHiddenInput)
    assignment_group = forms.ModelChoiceField(label=_("Assignment group"), queryset=Team.objects.all(),
                                              required=False)
    assigned_to = forms.ModelChoiceField(label=_("Assigned to"), queryset=User.objects.none(), required=False)
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", "—"), (IncidentState.IN_PROGRESS, IncidentState.IN_PROGRESS.label),
                                       (IncidentState.CANCELLED, IncidentState.CANCELLED.label)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = _kept_agents()
        choices_memo.memoise(self.fields["assignment_group"], TEAMS)
        choices_memo.memoise(self.fields["assigned_to"], "accounts.active_agents")
        bootstrapify(self)

    def changes(self):
        data = {}
        if self.cleaned_data.get("assignment_group"):
            data["assignment_group"] = self.cleaned_data["assignment_group"]
        if self.cleaned_data.get("assigned_to"):
            data["assigned_to"] = self.cleaned_data["assigned_to"]
        if self.cleaned_data.get("state"):
            data["state"] = self.cleaned_data["state"]
        return data


class PortalIncidentForm(forms.Form):
    """What an end user tells us: what is wrong, how urgent, which service."""

    URGENCY_CHOICES = [
        (Urgency.LOW, _("I can work; it is an inconvenience")),
        (Urgency.MEDIUM, _("My work is slowed down")),
        (Urgency.HIGH, _("I cannot work at all")),
    ]

    title = forms.CharField(label=_("What is wrong?"), max_length=200,
                            widget=forms.TextInput(attrs={"placeholder": _("e.g. I cannot open the groupware mail")}))
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("What were you doing, what did you expect, what happened?"))
    urgency = forms.TypedChoiceField(label=_("How urgent is it?"), coerce=int, choices=URGENCY_CHOICES,
                                     initial=Urgency.LOW, widget=forms.RadioSelect)
    service = forms.ModelChoiceField(label=_("Which service is affected?"), required=False,
                                     queryset=ConfigurationItem.objects.none(), empty_label=_("I don't know"))
    files = MultipleFileField(label=_("Screenshots or files"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = ConfigurationItem.objects.visible_to(user).business_services().active() \
            .order_by("name")
        bootstrapify(self)
        self.fields["urgency"].widget.attrs["class"] = "form-check-input"


class PortalReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why is the problem not solved?"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)
