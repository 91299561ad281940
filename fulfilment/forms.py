"""Forms of the desk's request and task pages (posted to fulfilment.services through the views)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.choices import Decision
from core.pickers import PickerField
from core.web import bootstrapify
from fulfilment.choices import TaskState


class RequestDecisionForm(forms.Form):
    """An approver's decision on the stage they may decide. A rejection must say why: the reason
    reaches the requester."""

    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Required when you reject: the requester reads it."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.REJECT and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say why you reject the request: the requester reads it."))
        return data


class CancelRequestForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Say why the request is cancelled.")})
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class VersionForm(forms.Form):
    """An action without fields but the version the page showed (a stale page is refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


# The moves the task page offers as buttons; failing needs notes (what went wrong).
WORK_TARGETS = (TaskState.IN_PROGRESS, TaskState.DONE, TaskState.FAILED, TaskState.OPEN)


class TaskWorkForm(forms.Form):
    state = forms.ChoiceField(label=_("Action"), choices=[(s, s.label) for s in WORK_TARGETS])
    notes = forms.CharField(label=_("Notes"), required=False, max_length=10000,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("What was done, or why it failed. Required when marking it failed."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)

    def clean(self):
        data = super().clean()
        if data.get("state") == TaskState.FAILED and not (data.get("notes") or "").strip():
            self.add_error("notes", _("Say why the task failed."))
        return data


class TaskAssignForm(forms.Form):
    assigned_to = PickerField("agent", label=_("Assign to"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)
