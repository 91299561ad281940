"""Forms for the agent desk. The attribute fields are generated from the CI class's JSON Schema."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from cmdb.choices import RelationshipType
from cmdb.models import CIClass, ConfigurationItem, ImportJob
from cmdb.schema import property_label, property_names
from core import attachments
from core.web import parse_id

ATTR_PREFIX = "attr__"


def _field_for(name, spec, required):
    """A form field for one JSON Schema property (string, enum, integer, number, boolean, array)."""
    label = property_label(name, spec)
    help_text = spec.get("description", "")
    kind = spec.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    common = {"label": label, "required": required, "help_text": help_text}
    if "enum" in spec:
        choices = [("", "---------")] if not required else []
        choices += [(str(v), str(v)) for v in spec["enum"]]
        return forms.TypedChoiceField(choices=choices, coerce=_enum_coercer(spec["enum"]), empty_value=None,
                                      widget=forms.Select(attrs={"class": "form-select"}), **common)
    if kind == "integer":
        return forms.IntegerField(min_value=spec.get("minimum"), max_value=spec.get("maximum"),
                                  widget=forms.NumberInput(attrs={"class": "form-control"}), **common)
    if kind == "number":
        return forms.FloatField(min_value=spec.get("minimum"), max_value=spec.get("maximum"),
                                widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}), **common)
    if kind == "boolean":
        return forms.NullBooleanField(widget=forms.Select(
            attrs={"class": "form-select"},
            choices=[("unknown", "---------"), ("true", _("Yes")), ("false", _("No"))]), **common)
    if kind == "array":
        common["help_text"] = help_text or _("Separate values with commas.")
        return forms.CharField(widget=forms.TextInput(attrs={"class": "form-control"}), **common)
    if kind in ("object",):
        return forms.JSONField(widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 3}),
                               **common)
    return forms.CharField(max_length=spec.get("maxLength"), strip=True,
                           widget=forms.TextInput(attrs={"class": "form-control"}), **common)


def _enum_coercer(values):
    lookup = {str(v): v for v in values}
    return lambda raw: lookup.get(raw, raw)


class ConfigurationItemForm(forms.ModelForm):
    """CI fields plus one field per attribute of the chosen class's schema (prefixed `attr__`)."""

    tags_text = forms.CharField(label=_("Tags"), required=False, help_text=_("Separate tags with commas."),
                                widget=forms.TextInput(attrs={"class": "form-control"}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ConfigurationItem
        fields = ["ci_class", "name", "status", "environment", "criticality", "owner_group", "location", "vendor",
                  "external_id", "description"]
        widgets = {
            "ci_class": forms.Select(attrs={"class": "form-select"}),
            "name": forms.TextInput(attrs={"class": "form-control"}),
            "status": forms.Select(attrs={"class": "form-select"}),
            "environment": forms.Select(attrs={"class": "form-select"}),
            "criticality": forms.Select(attrs={"class": "form-select"}),
            "owner_group": forms.Select(attrs={"class": "form-select"}),
            "location": forms.TextInput(attrs={"class": "form-control"}),
            "vendor": forms.TextInput(attrs={"class": "form-control"}),
            "external_id": forms.TextInput(attrs={"class": "form-control"}),
            "description": forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        }

    def __init__(self, *args, ci_class=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ci_class"].queryset = CIClass.objects.order_by("name")
        if ci_class is None and self.instance.pk:
            ci_class = self.instance.ci_class
        if ci_class is not None:
            self.initial.setdefault("ci_class", ci_class.pk)
        self.ci_class = ci_class
        if self.instance.pk:
            self.initial.setdefault("tags_text", ", ".join(self.instance.tags or []))
            self.initial.setdefault("version", self.instance.version)
        schema = (ci_class.attribute_schema if ci_class else {}) or {}
        required = set(schema.get("required", []))
        current = self.instance.attributes or {}
        self.attribute_names = []
        properties = schema.get("properties") or {}
        for name in property_names(schema):
            spec = properties[name]
            if not isinstance(spec, dict):
                continue
            field_name = ATTR_PREFIX + name
            self.fields[field_name] = _field_for(name, spec, name in required)
            self.attribute_names.append(name)
            if name in current:
                value = current[name]
                if isinstance(value, list):
                    value = ", ".join(str(v) for v in value)
                elif isinstance(value, bool):
                    value = "true" if value else "false"
                self.initial.setdefault(field_name, value)
        self._schema = schema

    @property
    def attribute_fields(self):
        return [self[ATTR_PREFIX + name] for name in self.attribute_names]

    @property
    def main_fields(self):
        return [self[name] for name in ("name", "status", "environment", "criticality", "owner_group",
                                         "location", "vendor", "external_id", "tags_text", "description")]

    def attributes_value(self):
        """The `attributes` the form describes; keys the schema does not know are kept."""
        attributes = {k: v for k, v in (self.instance.attributes or {}).items() if k not in self.attribute_names}
        properties = self._schema.get("properties") or {}
        for name in self.attribute_names:
            value = self.cleaned_data.get(ATTR_PREFIX + name)
            if value in (None, ""):
                continue
            if properties.get(name, {}).get("type") == "array" and isinstance(value, str):
                value = [part.strip() for part in value.split(",") if part.strip()]
            attributes[name] = value
        return attributes

    def service_fields(self):
        data = {name: self.cleaned_data.get(name) for name in self._meta.fields}
        data["external_id"] = data.get("external_id") or None
        data["tags"] = [t.strip() for t in (self.cleaned_data.get("tags_text") or "").split(",") if t.strip()]
        data["attributes"] = self.attributes_value()
        return data

    def _post_clean(self):
        # Model validation runs in the service (which names the attribute path at fault).
        pass

    def add_service_errors(self, error):
        """Put a ValidationError raised by the service on the matching fields."""
        for field, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
            if field == "attributes":
                for message in messages:
                    key = message.split(":", 1)[0].removeprefix("attributes.").split(".")[0].split("[")[0]
                    target = ATTR_PREFIX + key if ATTR_PREFIX + key in self.fields else None
                    self.add_error(target, message)
            elif field == "tags":
                self.add_error("tags_text", messages)
            else:
                self.add_error(field if field in self.fields else None, messages)


class RelationshipForm(forms.Form):
    side = forms.ChoiceField(
        label=_("This CI"), choices=[("out", _("needs the other CI")), ("in", _("is needed by the other CI"))],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    type = forms.ChoiceField(label=_("Relationship"), choices=RelationshipType.choices,
                             widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    other = forms.CharField(
        label=_("Other CI"), max_length=200,
        help_text=_("Its id, external id or exact name."),
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": _("id, external id or name")}),
    )
    authorised_by = forms.CharField(label=_("Change"), required=False, max_length=50,
                                    widget=forms.TextInput(attrs={"class": "form-control form-control-sm",
                                                                  "placeholder": "CHG…"}))

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.queryset = ConfigurationItem.objects.all() if queryset is None else queryset

    def clean_other(self):
        value = self.cleaned_data["other"].strip()
        if parse_id(value):
            found = self.queryset.filter(pk=parse_id(value)).first()
            if found:
                return found
        found = self.queryset.filter(external_id=value).first()
        if found:
            return found
        matches = list(self.queryset.filter(name=value).select_related("ci_class")[:2])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise forms.ValidationError(_("Several CIs are named “%(name)s”: use the id or external id.")
                                        % {"name": value})
        raise forms.ValidationError(_("No CI matches “%(value)s”.") % {"value": value})


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=ImportJob.Kind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    file = forms.FileField(label=_("CSV or JSON file"), widget=forms.ClearableFileInput(attrs={"class": "form-control"}))
    dry_run = forms.BooleanField(label=_("Preview only (dry run)"), required=False, initial=True,
                                 widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    skip_bad_rows = forms.BooleanField(label=_("Skip bad rows (otherwise nothing is imported if any row is bad)"),
                                       required=False,
                                       widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    authorised_by = forms.CharField(label=_("Authorising change"), required=False, max_length=50,
                                    widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "CHG…"}))

    MAX_BYTES = 50 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        name = upload.name.lower()
        if not name.endswith((".csv", ".json")):
            raise forms.ValidationError(_("Upload a .csv or .json file."))
        raw = upload.read()
        try:
            self.cleaned_data["text"] = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        if not attachments.content_matches(raw, name.rsplit(".", 1)[-1]):
            # NUL or other control bytes: a binary file renamed (and PostgreSQL cannot store NUL).
            raise forms.ValidationError(_("The file is not text: it holds binary content."))
        self.cleaned_data["format"] = "json" if name.endswith(".json") else "csv"
        return upload


def dumps(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
