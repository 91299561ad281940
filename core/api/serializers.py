"""What every ticket serializer shares."""

import datetime

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from rest_framework import ISO_8601, relations, serializers
from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings
from rest_framework.utils.serializer_helpers import BindingDict

from core.api.fields import VisiblePrimaryKeyRelatedField

_SKIP = object()


# Relations generated from the model are looked up in what the caller may see (core.api.fields):
# a 400 never confirms that an invisible record exists. Relations a serializer declares itself
# use VisiblePrimaryKeyRelatedField / VisibleSlugRelatedField; tests/test_relation_fields.py
# holds every API serializer to it. (No docstring: it would become every schema's description
# in the OpenAPI document.)
class VisibleRelationsSerializer(serializers.ModelSerializer):
    serializer_related_field = VisiblePrimaryKeyRelatedField

    # ModelSerializer builds its fields from the model on every instance (field introspection,
    # choices, validators): a fifth of an API create (issue 12's profile). What it builds
    # depends on the class alone (Meta, declared fields; no subclass overrides get_fields), so
    # it is built once per class and each instance gets fresh fields made from it.
    def get_fields(self):
        return {name: _fresh(field) for name, field in self.fields_template().items()}

    def fields_template(self):
        """The class's fields, built once, unbound: to be read, never bound or changed."""
        template = type(self).__dict__.get("_fields_template")
        if template is None:
            template = super().get_fields()
            type(self)._fields_template = template
        return template

    def row_fields(self, bound=()):
        """The fields a row function written by hand reads: the serializer's own if built already
        (a write's answer), else the class's template with fresh fields bound to this serializer
        for the names in `bound` only (nested serializers, which read the response's context).
        A read then builds 3 fields instead of every field (the incident's 37, six of them
        choice fields that index their choices on creation)."""
        if "fields" in self.__dict__:
            # Their plain dict: a BindingDict is read through Python-level mapping methods, ~100
            # reads per answer of a create (issue 12, ninth round).
            built = self.fields
            return built.fields if type(built) is BindingDict else built
        fields = dict(self.fields_template())
        for name in bound:
            field = fields[name] = _fresh(fields[name])
            field.bind(field_name=name, parent=self)
        if bound:
            self._row_bound = [fields[name] for name in bound]  # for core.api.cycles.release_serializer
        return fields

    def row_fields_as_written(self, expected, bound=()):
        """row_fields(bound) if they are `expected` as fields_as_written checks them, else None.
        Fields made from the class's template answer as the template does (the same names,
        classes and arguments), so that check is made once per class and settings, not on every
        response: its 37 fields' pairs and settings reads were ~300 of an API list's Python lines
        (issue 12, ninth round)."""
        own = "fields" in self.__dict__
        fields = self.row_fields(bound)
        if own:
            return fields if fields_as_written(self, expected, fields) else None
        key = (type(self), expected)
        found = _AS_WRITTEN.get(key)
        if found is None:
            found = _AS_WRITTEN[key] = fields_as_written(self, expected, fields)
        return fields if found else None

    # DRF's generic to_representation walks, for every field of every row, get_attribute (a
    # chain of checks: mappings, callables, missing relations), a PKOnlyObject for each foreign
    # key and the None check: 40-60 % of an API list's CPU (issue 12, third round). Each
    # serializer instance (a list's child serves every row) compiles once, per readable field,
    # the shortest way to the same value: a model column read directly, a foreign key's id from
    # `<name>_id`, a method field's method; anything else keeps DRF's generic path. An error on
    # the short way replays DRF's path for that field, so defaults, SkipField and messages stay
    # DRF's own. core/tests/test_fast_representation.py holds both equal.
    def to_representation(self, instance):
        if not isinstance(instance, self.Meta.model):  # a dict, a non-model object: DRF's path
            return super().to_representation(instance)
        row = self.__dict__.get("_row")
        if row is None:
            row = self._row = self.compile_row()
        return row(instance)

    def compile_row(self):
        """The function that represents one instance (see to_representation): the compiled plan
        of the readable fields. A serializer may return a faster function written for its own
        fields, falling back to this one (IncidentSerializer). A class whose fields read nothing
        of the serializer they are bound to (SHARED_PLAN_FIELDS) compiles its plan once: each
        instance building its fields to compile the same plan was ~14 % of an API detail's CPU
        (a user's nested form, twice per incident; issue 12, fifth round)."""
        cls = type(self)
        plan = cls.__dict__.get("_shared_plan")
        if plan is not None and "fields" in self.__dict__ and list(self.fields) != [name for name, _get in plan]:
            plan = None  # this instance's fields were changed after they were built
        if plan is None:
            plan = _compile(self, self.Meta.model)
            if "_shared_plan" not in cls.__dict__ and _plan_is_shared(self):
                cls._shared_plan = plan

        def row(instance):
            ret = {}
            for name, get in plan:
                value = get(instance)
                if value is not _SKIP:
                    ret[name] = value
            return ret
        return row


# Field classes whose representation reads only the instance (never the serializer, its context
# or the request): a plan of these answers the same for every instance of a serializer class.
SHARED_PLAN_FIELDS = frozenset({
    serializers.CharField, serializers.EmailField, serializers.SlugField, serializers.URLField,
    serializers.IntegerField, serializers.BigIntegerField, serializers.FloatField, serializers.BooleanField,
    serializers.ChoiceField, serializers.DateTimeField, serializers.DateField, serializers.UUIDField,
    VisiblePrimaryKeyRelatedField,
})


def _plan_is_shared(serializer):
    """Whether `serializer`'s compiled plan may serve every instance of its class: its fields are
    the class's (get_fields not overridden, nothing passed that changes them) and of
    SHARED_PLAN_FIELDS alone."""
    cls = type(serializer)
    if cls.get_fields is not VisibleRelationsSerializer.get_fields or cls.compile_row is not \
            VisibleRelationsSerializer.compile_row or cls.__init__ is not serializers.ModelSerializer.__init__ \
            or "_fields_template" not in cls.__dict__:
        return False  # fields that may differ per instance (an __init__ dropping some, say)
    template = cls._fields_template
    fields = serializer.fields
    return (list(fields) == list(template)
            and all(type(field) in SHARED_PLAN_FIELDS and type(field) is type(template[name])
                    and not getattr(field.default, "requires_context", False)  # reads its serializer
                    for name, field in fields.items()))


def _generic(field):
    """DRF's Serializer.to_representation for one field."""
    def get(instance):
        try:
            attribute = field.get_attribute(instance)
        except SkipField:
            return _SKIP
        check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        return None if check_for_none is None else field.to_representation(attribute)
    return get


def _model_path(model, attrs):
    """The attribute names to read for `attrs` if every step is a model's own field (forward
    foreign keys, then a column or a foreign key), else None: nothing there is callable or a
    mapping, so DRF's get_attribute reads exactly these."""
    path = []
    for i, attr in enumerate(attrs):
        try:
            field = model._meta.get_field(attr)
        except Exception:  # noqa: BLE001 - a property, a method, a reverse relation: DRF's path
            return None
        if not field.concrete or field.many_to_many or getattr(field, "name", None) != attr:
            return None
        if field.is_relation:
            model = field.related_model
        elif i != len(attrs) - 1:
            return None
        path.append(attr)
    return path


def _fast(serializer, field, model):
    """The compiled getter of one readable field (see to_representation)."""
    cls = type(field)
    if cls is serializers.SerializerMethodField and field.source == "*":
        return getattr(serializer, field.method_name)
    attrs = field.source_attrs
    if not attrs:
        return None
    if (cls.get_attribute is relations.RelatedField.get_attribute
            and cls.use_pk_only_optimization is relations.PrimaryKeyRelatedField.use_pk_only_optimization
            and cls.to_representation is relations.PrimaryKeyRelatedField.to_representation
            and field.pk_field is None and len(attrs) == 1):
        try:
            fk = model._meta.get_field(attrs[0])
        except Exception:  # noqa: BLE001
            return None
        if not (fk.concrete and (fk.many_to_one or fk.one_to_one)) or fk.name != attrs[0]:
            return None
        attname = fk.attname
        return lambda instance: getattr(instance, attname)  # None stays None, an id is the answer
    plain = cls.get_attribute is Field.get_attribute or (
        cls.get_attribute is relations.RelatedField.get_attribute and not field.use_pk_only_optimization())
    if not plain:
        return None
    path = _model_path(model, attrs)
    if path is None:
        return None
    convert = _fast_datetime(field) or field.to_representation
    generic = _generic(field)
    if len(path) == 1:
        attr = path[0]

        def get(instance):
            try:
                value = getattr(instance, attr)
            except Exception:  # noqa: BLE001 - replay DRF's path: its defaults and errors
                return generic(instance)
            return None if value is None else convert(value)
        return get

    def get_path(instance):
        value = instance
        try:
            for attr in path:
                value = getattr(value, attr)
        except Exception:  # noqa: BLE001 - a missing relation on the way: DRF's answer
            return generic(instance)
        return None if value is None else convert(value)
    return get_path


def _fast_datetime(field):
    """DateTimeField.to_representation for an aware datetime in ISO 8601 (the API's format),
    without its per-value look-ups of the field's format and the settings; anything else (a
    naive or odd value, another format, a field with its own time zone) goes through the
    field's own code. A twentieth of an API list's CPU was 250 of these."""
    if type(field) is not serializers.DateTimeField or hasattr(field, "timezone") or not settings.USE_TZ:
        return None
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    if output_format is None or output_format.lower() != ISO_8601:
        return None
    slow = field.to_representation
    get_current_timezone = timezone.get_current_timezone

    def convert(value):
        if type(value) is not datetime.datetime or value.utcoffset() is None:
            return slow(value)
        try:
            text = value.astimezone(get_current_timezone()).isoformat()
        except OverflowError:
            return slow(value)
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return convert


def iso_writer(serializer, tz):
    """`iso(value, slow)` for the row functions written by hand of one response, whose time zone
    is `tz`: `slow(value)` (a DateTimeField's to_representation) as _fast_datetime's convert
    answers it for an aware datetime, None for None, `slow`'s own answer for anything else.

    Each aware datetime is converted once per response: the texts are kept by value, for `tz`,
    in the response's context (its root serializer's, which the nested serializers read too).
    An incident's created_at, its updated_at and its clocks' started_at are often one instant,
    and a list's rows share instants (issue 12, seventh round: astimezone and isoformat cost
    ~1.5 µs a value, ~100 values a list page, about half of them seen before). Equal aware
    datetimes are one instant, so one text in one time zone."""
    context = serializer.context
    if not isinstance(context, dict):
        context = {}
    held = context.get("_iso_texts")
    if held is None or held[0] is not tz:
        held = context["_iso_texts"] = (tz, {})
    texts = held[1]
    get = texts.get

    def iso(value, slow):
        if value is None:
            return None
        if type(value) is not datetime.datetime:
            return slow(value)
        text = get(value)  # a naive value is never equal to an aware one: not found
        if text is not None:
            return text
        if value.utcoffset() is None:
            return slow(value)
        try:
            text = value.astimezone(tz).isoformat()
        except OverflowError:
            return slow(value)
        text = texts[value] = text[:-6] + "Z" if text.endswith("+00:00") else text
        return text
    # The texts made so far, by value: a caller may look an aware datetime up there first
    # (`iso.texts.get(value) or iso(value, slow)`), a C call instead of a Python one.
    iso.texts = texts
    return iso


def big_integer(field):
    """A BigIntegerField's to_representation with its setting read once (per row function): as_int
    unless the settings (or the field) coerce big integers to strings. DRF's reads
    COERCE_BIGINT_TO_STRING through the settings object at every value (an id per incident,
    clock and user of a list: ~80 a page)."""
    if type(field) is serializers.BigIntegerField \
            and not getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING):
        return as_int  # IntegerField.to_representation: int(value)
    return field.to_representation


def choice_value(value, choices, slow):
    """A ChoiceField's to_representation (`slow`) for a plain str or int, from its
    `choice_strings_to_values`; None stays None, anything else (an enum member) goes `slow`."""
    if value is None:
        return None
    kind = type(value)
    if kind is str:
        return choices.get(value, value) if value else value
    if kind is int:
        return choices.get(str(value), value)
    return slow(value)


def choices_by_text(field):
    """`get(value, value)`: choice_value(value, ...) of a ChoiceField for a value of type str, by
    one dict look-up (the empty text answers itself, as choice_value's does)."""
    return {text: value for text, value in field.choice_strings_to_values.items() if text}.get


def choices_by_number(field):
    """`get(value, value)`: choice_value(value, ...) of a ChoiceField for a value of type int (whose
    str() is the decimal text choice_value looks up), by one dict look-up."""
    by_number = {}
    for text, value in field.choice_strings_to_values.items():
        if text.lstrip("-").isdecimal() and text.isascii():
            number = int(text)
            if str(number) == text:
                by_number[number] = value
    return by_number.get


def as_text(value):
    """A CharField's to_representation for the values a row holds: a str as it is."""
    return value if type(value) is str else (None if value is None else str(value))


def as_int(value):
    """An IntegerField's to_representation for the values a row holds: an int as it is."""
    return value if type(value) is int else (None if value is None else int(value))


def lazy_generic(serializer):
    """The compiled plan's row function of `serializer`, compiled on its first call: the
    fallback of a row function written by hand, which most responses never call."""
    compiled = []

    def generic(instance):
        if not compiled:
            compiled.append(VisibleRelationsSerializer.compile_row(serializer))
        return compiled[0](instance)
    return generic


def fields_as_written(serializer, expected, fields=None):
    """True if the serializer's fields are, in order, `expected` ((name, field class) pairs)
    and every datetime among them is the API's ISO 8601 in the current time zone: what a row
    function written by hand for those fields assumes."""
    fields = serializer.fields if fields is None else fields
    if [(name, type(field)) for name, field in fields.items()] != list(expected):
        return False
    if any(field.write_only for field in fields.values()):
        return False
    return all(_fast_datetime(field) is not None for field in fields.values()
               if type(field) is serializers.DateTimeField)


# (serializer class, expected fields) -> whether fields made from its template are as written
# (row_fields_as_written); forgotten when a setting changes (fields_as_written reads USE_TZ and
# DRF's DATETIME_FORMAT).
_AS_WRITTEN = {}


@receiver(setting_changed)
def _forget_as_written(**kwargs):
    _AS_WRITTEN.clear()


def _compile(serializer, model):
    plan = []
    for field in serializer._readable_fields:
        plan.append((field.field_name, _fast(serializer, field, model) or _generic(field)))
    return plan


def _fresh(field):
    """A new unbound field like `field`, made from its arguments as DRF's deepcopy does, but
    sharing the arguments (choices, querysets...), which are only read; nested fields and
    serializers (a ListSerializer's child, a ListField's child) are made fresh the same way,
    as they are bound to their parent. DRF's deepcopy of a nested serializer copied every
    argument of every field inside it: ~1,100 deepcopy calls per API list request."""
    args = [_fresh(value) if isinstance(value, Field) else value for value in field._args]
    kwargs = {key: _fresh(value) if isinstance(value, Field) else value for key, value in field._kwargs.items()}
    return field.__class__(*args, **kwargs)


class TicketSerializer(VisibleRelationsSerializer):
    pass
