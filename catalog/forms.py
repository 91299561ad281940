"""Desk forms of the catalog: a category, an item, its request form (the editor's rows) and its
plan (approval stages, task templates). They check what a person typed so each refusal sits on
the field at fault; catalog.services checks again and writes. save() is never called."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, Team
from catalog import form_editor
from catalog.formschema import FIELD_TYPES, NAME_PATTERN
from catalog.models import ApproverKind, CatalogItem, Category, ItemApprovalStage, TaskTemplate
from core import attachments
from core.choices import ApprovalMode
from core.exceptions import DomainError
from core.pickers import use_picker
from core.web import bootstrapify

PICTURE_TYPES = ("png", "jpg", "jpeg", "gif", "webp")


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _versioned(form, record):
    form.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
    if record is not None and record.pk:
        form.initial.setdefault("version", record.version)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ("name", "name_ko", "description", "description_ko", "parent", "icon", "order", "active")
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "description_ko": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _versioned(self, self.instance)
        # One level of nesting: only top-level categories (other than this one) may be parents.
        parents = Category.objects.filter(parent__isnull=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].help_text = _("Leave empty for a top-level category. Categories nest one level only.")
        self.fields["icon"].help_text = _("A Bootstrap Icons name, such as laptop or key.")
        bootstrapify(self)

    def service_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def _category_label(category):
    return f"{category.parent.display_name} › {category.display_name}" if category.parent_id else category.display_name


class ItemForm(forms.ModelForm):
    class Meta:
        model = CatalogItem
        fields = ("category", "name", "name_ko", "summary", "summary_ko", "description", "description_ko", "icon",
                  "picture", "service", "available_to_everyone", "organisations", "groups", "active",
                  "delivery_time", "sla_from_delivery_time", "max_quantity")
        widgets = {"description": forms.Textarea(attrs={"rows": 5}),
                   "description_ko": forms.Textarea(attrs={"rows": 5}),
                   "picture": forms.ClearableFileInput(attrs={"accept": ",".join(f".{t}" for t in PICTURE_TYPES)})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _versioned(self, self.instance)
        category = self.fields["category"]
        category.queryset = Category.objects.select_related("parent").order_by("parent__order", "order", "name")
        category.label_from_instance = _category_label
        use_picker(self, "service", "business_service",
                   help_text=_("The CMDB business service this item belongs to."))
        self.fields["organisations"].queryset = Organisation.objects.order_by("name")
        self.fields["groups"].queryset = Team.objects.order_by("name")
        for name in ("organisations", "groups"):
            self.fields[name].help_text = _("Used when “everyone may order” is off.")
        self.fields["delivery_time"].min_value = 1
        self.fields["max_quantity"].widget.attrs.update(min=1, max=1000)
        bootstrapify(self, multiple_select_size=6)

    def clean_picture(self):
        picture = self.cleaned_data.get("picture")
        if picture and hasattr(picture, "size") and picture is not getattr(self.instance, "picture", None):
            if picture.name.rsplit(".", 1)[-1].lower() not in PICTURE_TYPES:
                raise ValidationError(_("Choose a picture: %(types)s.") % {"types": ", ".join(PICTURE_TYPES)})
            try:
                attachments.validate_upload(picture)
            except DomainError as exc:
                raise ValidationError(str(exc.message)) from exc
        return picture

    def clean_max_quantity(self):
        value = self.cleaned_data["max_quantity"]
        if not 1 <= value <= 1000:
            raise ValidationError(_("Give a number from 1 to 1000."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("available_to_everyone") is False and not data.get("organisations") and not data.get("groups"):
            self.add_error("available_to_everyone", _("Nobody could order it: tick “everyone may order”, or "
                                                      "choose organisations or groups."))
        return data

    def _post_clean(self):
        # catalog.services validates the item under its lock; validating the unsaved copy here too
        # would report the same refusal twice.
        pass

    def service_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields
                if name not in ("organisations", "groups") and name in self.cleaned_data}


# --- the form editor ------------------------------------------------------------------------------

class FieldRowForm(forms.Form):
    """One question of the item's request form."""

    original = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=50,
                           help_text=gettext_lazy("lower_case, used in the API and in answers"))
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=list(FIELD_TYPES.items()))
    label = forms.CharField(label=gettext_lazy("Label (English)"), max_length=200, required=False)
    label_ko = forms.CharField(label=gettext_lazy("Label (Korean)"), max_length=200, required=False)
    help = forms.CharField(label=gettext_lazy("Help (English)"), max_length=500, required=False)
    help_ko = forms.CharField(label=gettext_lazy("Help (Korean)"), max_length=500, required=False)
    required = forms.BooleanField(label=gettext_lazy("Required"), required=False)
    long_text = forms.BooleanField(label=gettext_lazy("Long text (several lines)"), required=False)
    choices = forms.CharField(label=gettext_lazy("Choices"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    minimum = forms.DecimalField(label=gettext_lazy("Minimum"), required=False, max_digits=18, decimal_places=6)
    maximum = forms.DecimalField(label=gettext_lazy("Maximum"), required=False, max_digits=18, decimal_places=6)
    whole_number = forms.BooleanField(label=gettext_lazy("Whole numbers only"), required=False)
    max_length = forms.IntegerField(label=gettext_lazy("Longest answer (characters)"), required=False,
                                    min_value=1, max_value=100000)
    show_if_field = forms.CharField(label=gettext_lazy("Shown only when field"), max_length=50, required=False,
                                    help_text=gettext_lazy("The name of another field; empty: always shown."))
    show_if_value = forms.CharField(label=gettext_lazy("has the value"), max_length=200, required=False,
                                    help_text=gettext_lazy("Several values: separate them with commas. "
                                                           "Yes/no fields: yes or no."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choices"].help_text = _("One per line: value, English label and Korean label separated by "
                                             "bars, e.g. %(example)s") % {"example": "dev | Developer | 개발자용"}
        bootstrapify(self)
        for name in ("label", "label_ko", "help", "help_ko", "name"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not NAME_PATTERN.fullmatch(name):
            raise ValidationError(_("Use lower-case letters, digits and underscores, starting with a letter."))
        return name

    def clean_choices(self):
        try:
            return form_editor.parse_choices(self.cleaned_data["choices"])
        except ValueError as exc:
            raise ValidationError(_("Line %(line)s: write value, English label and Korean label separated by bars.")
                                  % {"line": exc.args[0]}) from exc

    def clean(self):
        data = super().clean()
        if data.get("kind") in ("choice", "multichoice") and "choices" in data and not data["choices"]:
            self.add_error("choices", _("Give the choices, one per line."))
        if data.get("show_if_field") and data.get("show_if_field") == data.get("name"):
            self.add_error("show_if_field", _("A field cannot depend on itself."))
        if data.get("show_if_field") and not (data.get("show_if_value") or "").strip():
            self.add_error("show_if_value", _("Give the value that shows this field."))
        low, high = data.get("minimum"), data.get("maximum")
        if low is not None and high is not None and low > high:
            self.add_error("maximum", _("The maximum must not be below the minimum."))
        return data


class BaseFieldRowFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        names = [f.cleaned_data["name"] for f in self.kept_forms()]
        for form in self.kept_forms():
            if names.count(form.cleaned_data["name"]) > 1:
                form.add_error("name", _("Another field has this name."))
            other = form.cleaned_data.get("show_if_field")
            if other and other not in names:
                form.add_error("show_if_field", _("No field of this form is called “%(name)s”.") % {"name": other})

    def kept_forms(self):
        """The filled rows not marked for removal, in the order given."""
        kept = [f for f in self.forms if f.has_changed() or f.initial]
        kept = [f for f in kept if hasattr(f, "cleaned_data") and f.cleaned_data.get("name")
                and not f.cleaned_data.get("DELETE")]
        return sorted(kept, key=lambda f: (f.cleaned_data.get("ORDER") is None, f.cleaned_data.get("ORDER") or 0,
                                           self.forms.index(f)))

    def rows(self):
        return [{k: v for k, v in f.cleaned_data.items() if k not in ("ORDER", "DELETE")} for f in self.kept_forms()]


FieldRowFormSet = forms.formset_factory(FieldRowForm, formset=BaseFieldRowFormSet, extra=1, can_delete=True,
                                        can_order=True, max_num=60, validate_max=True)


def field_rows_formset(data=None, *, item=None, extra=1):
    initial = None
    if item is not None and data is None:
        initial = [{**row, "choices": form_editor.choices_text(row["choices"])}
                   for row in form_editor.rows_from_definition(item.form_schema, item.form_ui)]
    formset = forms.formset_factory(FieldRowForm, formset=BaseFieldRowFormSet, extra=extra, can_delete=True,
                                    can_order=True, max_num=60, validate_max=True)
    return formset(data, initial=initial, prefix="fields")


# --- approval stages and the fulfilment plan -----------------------------------------------------

class StageForm(forms.ModelForm):
    class Meta:
        model = ItemApprovalStage
        fields = ("order", "name", "approver", "group", "mode", "quorum")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Team.objects.order_by("name")
        self.fields["approver"].choices = ApproverKind.choices
        self.fields["mode"].choices = ApprovalMode.choices
        bootstrapify(self)

    def _post_clean(self):
        pass  # checked by catalog.services with the whole plan (so errors are not reported twice)

    def clean(self):
        data = super().clean()
        if data.get("approver") == ApproverKind.GROUP and not data.get("group"):
            self.add_error("group", _("A group stage needs its approver group."))
        if data.get("approver") == ApproverKind.GROUP and data.get("mode") == ApprovalMode.QUORUM \
                and not data.get("quorum"):
            self.add_error("quorum", _("A quorum stage needs the number of approvals."))
        return data


class TaskForm(forms.ModelForm):
    template_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    answer_fields = forms.MultipleChoiceField(label=gettext_lazy("Answers it needs"), required=False,
                                              widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = TaskTemplate
        fields = ("stage", "order", "name", "name_ko", "instructions", "assignment_group", "change_template")
        widgets = {"instructions": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, answer_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer_fields"].choices = list(answer_choices)
        self.fields["assignment_group"].queryset = Team.objects.order_by("name")
        from changes.models import ChangeTemplate

        self.fields["change_template"].queryset = ChangeTemplate.objects.filter(active=True).order_by("name")
        bootstrapify(self)

    def _post_clean(self):
        pass


class BasePlanFormSet(forms.BaseFormSet):
    def kept_forms(self):
        return [f for f in self.forms if f.has_changed() and hasattr(f, "cleaned_data")
                and not f.cleaned_data.get("DELETE")]


def _row(form, names):
    return {name: form.cleaned_data.get(name) for name in names}


class StageFormSet(BasePlanFormSet):
    def rows(self):
        return [_row(f, ("order", "name", "approver", "group", "mode", "quorum")) for f in self.kept_forms()]


class TaskFormSet(BasePlanFormSet):
    def rows(self):
        rows = []
        for form in self.kept_forms():
            row = _row(form, ("stage", "order", "name", "name_ko", "instructions", "assignment_group",
                              "answer_fields", "change_template"))
            row["id"] = form.cleaned_data.get("template_id")
            rows.append(row)
        return rows


def plan_formsets(data=None, *, item):
    stage_initial = task_initial = None
    if data is None:
        stage_initial = [{"order": s.order, "name": s.name, "approver": s.approver, "group": s.group_id,
                          "mode": s.mode, "quorum": s.quorum} for s in item.approval_stages.order_by("order")]
        task_initial = [{"template_id": t.pk, "stage": t.stage, "order": t.order, "name": t.name,
                         "name_ko": t.name_ko, "instructions": t.instructions,
                         "assignment_group": t.assignment_group_id, "answer_fields": t.answer_fields,
                         "change_template": t.change_template_id} for t in item.task_templates.all()]
    from catalog.formschema import item_fields

    answer_choices = [(f.name, f.label) for f in item_fields(item)]
    stages = forms.formset_factory(StageForm, formset=StageFormSet, extra=2, can_delete=True, max_num=20,
                                   validate_max=True)(data, initial=stage_initial, prefix="stages")
    tasks = forms.formset_factory(TaskForm, formset=TaskFormSet, extra=2, can_delete=True, max_num=50,
                                  validate_max=True)(data, initial=task_initial, prefix="tasks",
                                                     form_kwargs={"answer_choices": answer_choices})
    return stages, tasks
