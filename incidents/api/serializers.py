"""The `incidents/` and `incidents/{id}/comments/` resources of API v1 (see /work/shared/API.md)."""

import copy
import inspect
from operator import attrgetter, itemgetter

from django.db.models.fields.related_descriptors import (ForeignKeyDeferredAttribute,
                                                         ForwardManyToOneDescriptor)
from django.db.models.query_utils import DeferredAttribute
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.utils.serializer_helpers import BindingDict

from accounts.api.serializers import UserBriefSerializer
from accounts.models import Team, User
from cmdb.models import ConfigurationItem
from core.api.fields import (URL_PK_MARK, RecordUrlField, VisiblePrimaryKeyRelatedField, VisibleSlugRelatedField,
                             url_with_pk)
from core.api.serializers import (TicketSerializer, VisibleRelationsSerializer, as_int, as_text, big_integer,
                                  choice_value, choices_by_number, choices_by_text, iso_writer,
                                  lazy_generic)
from core.models import Comment
from incidents.choices import IncidentChannel, IncidentState, OnHoldReason, ResolutionCode
from incidents import security
from incidents.api import rows
from incidents.api.rows import ListedIncident
from incidents.choices import SecurityRecipient
from incidents.models import Category, Incident, SecurityNotification
from sla.api.serializers import SLAClockSerializer, TicketClocksSerializer


class SecurityDetailSerializer(VisibleRelationsSerializer):
    """The security group's part of an information security incident."""

    class Meta:
        model = Incident
        fields = ["confidentiality_impact", "integrity_impact", "availability_impact", "security_notes",
                  "security_flagged_at"]
        read_only_fields = fields


# What a webhook says about a security incident: that it exists and moved, not what it is about.
WEBHOOK_SECURITY_FIELDS = ("id", "number", "state", "priority", "is_security", "created_at", "updated_at",
                           "version", "url")


class IncidentSerializer(TicketSerializer):
    caller = VisiblePrimaryKeyRelatedField(queryset=User.objects.all(), required=False)
    category = VisibleSlugRelatedField(slug_field="slug", queryset=Category.objects.filter(parent=None),
                                            required=False, allow_null=True)
    subcategory = VisibleSlugRelatedField(slug_field="slug", queryset=Category.objects.exclude(parent=None),
                                               required=False, allow_null=True)
    service = VisiblePrimaryKeyRelatedField(queryset=ConfigurationItem.objects.all(), required=False,
                                                 allow_null=True)
    configuration_item = VisiblePrimaryKeyRelatedField(queryset=ConfigurationItem.objects.all(),
                                                            required=False, allow_null=True)
    assignment_group = VisiblePrimaryKeyRelatedField(queryset=Team.objects.all(), required=False,
                                                          allow_null=True)
    assigned_to = VisiblePrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    parent = VisibleSlugRelatedField(slug_field="number", queryset=Incident.objects.all(), required=False,
                                          allow_null=True)
    channel = serializers.ChoiceField(choices=IncidentChannel.choices, required=False)
    state = serializers.ChoiceField(choices=IncidentState.choices, required=False)
    on_hold_reason = serializers.ChoiceField(choices=OnHoldReason.choices, required=False, allow_blank=True)
    resolution_code = serializers.ChoiceField(choices=ResolutionCode.choices, required=False, allow_blank=True)
    priority = serializers.IntegerField(min_value=1, max_value=5, required=False,
                                        help_text=_("Computed from impact and urgency unless overridden with a "
                                                    "priority_override_reason."))
    version = serializers.IntegerField(required=False, help_text=_("Required on updates: the version you read."))
    caller_detail = UserBriefSerializer(source="caller", read_only=True)
    assigned_to_detail = UserBriefSerializer(source="assigned_to", read_only=True, allow_null=True)
    slas = TicketClocksSerializer(child=SLAClockSerializer(), source="sla_clocks", read_only=True)
    url = RecordUrlField("incidents:incident_detail")
    is_security = serializers.BooleanField(read_only=True, help_text=_(
        "An information security incident: seen only by the security group (and its caller). Set and "
        "cleared in the desk, not through this resource."))
    security = serializers.SerializerMethodField(help_text=_(
        "Confidentiality, integrity and availability impact and the group's notes: for the security "
        "group only, null for everyone else."))

    class Meta:
        model = Incident
        fields = [
            "id", "number", "title", "description", "caller", "caller_detail", "channel", "category", "subcategory",
            "service", "configuration_item", "impact", "urgency", "priority", "priority_override",
            "priority_override_reason", "state", "on_hold_reason", "assignment_group", "assigned_to",
            "assigned_to_detail", "resolution_code", "resolution_notes", "is_major", "service_down", "parent", "reopen_count",
            "created_at", "updated_at", "first_responded_at", "resolved_at", "closed_at", "version", "slas", "url",
            "is_security", "security",
        ]
        read_only_fields = ["number", "priority_override", "reopen_count", "created_at", "updated_at",
                            "first_responded_at", "resolved_at", "closed_at"]
        extra_kwargs = {"title": {"required": False}}
        # DRF derives none for Incident (no unique_together, no unique_for_date), but deriving
        # that nothing walked the model's constraints and fields on every validation (~3 % of
        # an API create). incidents/tests/test_api_serializer_fields.py holds DRF's derivation
        # empty, so a new constraint fails it instead of going unvalidated.
        validators = []

    def get_fields(self):
        # The class's fields are built once (VisibleRelationsSerializer.fields_template); each
        # instance needs its own, as binding writes to them. A plain field is copied as it is
        # (its dict, with its own lists and dicts), not made again through its __init__: the
        # 34 plain fields of a create were ~10 % of its CPU (issue 12, sixth round). A nested
        # serializer is copied the way DRF copies declared fields (a ListSerializer's child is
        # bound to its parent, so it must be made afresh).
        return {name: _template_copy(field) for name, field in self.fields_template().items()}

    @cached_property
    def fields(self):
        # DRF's Serializer.fields (get_fields' copies, each bound by BindingDict: Field.bind sets
        # the name, parent, label, source and source_attrs), with a plain field's copy made bound
        # already: what binding writes depends on the template field and the name alone, so it is
        # worked out once per template field (_bound_copy), and a copy only gets its parent.
        # Binding the 34 plain fields one by one was ~0.1 ms of an API create (issue 12, tenth
        # round). A subclass with its own get_fields keeps DRF's way.
        if type(self).get_fields is not IncidentSerializer.get_fields:
            return serializers.Serializer.fields.func(self)
        fields = BindingDict(self)
        for name, field in self.fields_template().items():
            if isinstance(field, serializers.BaseSerializer) or type(field).bind not in _PLAIN_BINDS:
                fields[name] = _template_copy(field)  # bound by BindingDict, as DRF binds it
            else:
                fields.fields[name] = _bound_copy(field, name, self)
        return fields

    @extend_schema_field(SecurityDetailSerializer(allow_null=True))
    def get_security(self, incident):
        request = self.context.get("request")
        if not incident.is_security or request is None or not security.can_read_security_fields(request.user):
            return None
        return SecurityDetailSerializer(incident).data

    def compile_row(self):
        return incident_row(self, lazy_generic(self)) or super().compile_row()

    def to_representation(self, instance):
        if type(instance) is ListedIncident:  # a list's row without its instance (IncidentViewSet)
            row = self.__dict__.get("_row")
            if row is None:
                row = self._row = self.compile_row()
            listed = getattr(row, "listed", None)
            if listed is not None and not self.context.get("webhook"):
                return listed(instance)
            instance = instance.incident()
        data = super().to_representation(instance)
        if instance.is_security and self.context.get("webhook"):
            return {name: data[name] for name in WEBHOOK_SECURITY_FIELDS}
        return data

    def validate(self, attrs):
        if self.instance is None:
            if not (attrs.get("title") or "").strip():
                raise serializers.ValidationError({"title": [_("This field is required.")]})
            if attrs.get("state", IncidentState.NEW) != IncidentState.NEW:
                raise serializers.ValidationError({"state": [_("A new incident starts in state new.")]})
            attrs.pop("state", None)
        return attrs


def _unbound_copy(field):
    """A copy of an unbound field: the same attributes, its own lists and dicts (binding and
    validation may write to the field, never to the choices or querysets it shares). Made
    without __init__, as copy.copy does, minus copy's protocol look-ups. Which attributes may
    hold a list or a dict is found once per template field: walking each field's ~20 attributes
    in Python on every copy was ~0.4 ms of an API create (issue 12, eighth round)."""
    state = field.__dict__
    found = _CONTAINER_KEYS.get(field)
    if found is None or found[0] != len(state):
        found = _CONTAINER_KEYS[field] = (len(state), tuple(key for key, value in state.items()
                                                            if type(value) in (list, dict)))
    new = object.__new__(type(field))
    new.__dict__ = copied = state.copy()
    for key in found[1]:
        value = copied[key]
        if type(value) in (list, dict):
            copied[key] = value.copy()
    return new


# template field -> (its number of attributes, the names of those holding a list or a dict). The
# templates live as long as their classes and are only read; one given an attribute since (DRF
# caching its validators on first read) is walked again.
_CONTAINER_KEYS = {}


def _template_copy(field):
    """A serializer's own copy of a template field: a nested serializer deep-copied, any other
    field by _unbound_copy."""
    return copy.deepcopy(field) if isinstance(field, serializers.BaseSerializer) else _unbound_copy(field)


# The binds whose effect is the field's own attributes, set from the name alone (not from the
# parent, which they only store): Field's, and SerializerMethodField's (its method's name).
_PLAIN_BINDS = frozenset({serializers.Field.bind, serializers.SerializerMethodField.bind})


def _bound_copy(field, name, parent):
    """_unbound_copy(field) bound as `name` of `parent`: the attributes `field.bind(name, parent)`
    gives a copy, worked out once per template field and name (a copy bound to no parent), and
    copied with their own lists and dicts (source_attrs among them)."""
    key = (field, name)
    found = _BOUND_STATES.get(key)
    if found is None or found[0] != len(field.__dict__):
        bound = _unbound_copy(field)
        bound.bind(name, None)
        state = bound.__dict__
        containers = tuple(attribute for attribute, value in state.items() if type(value) in (list, dict))
        found = _BOUND_STATES[key] = (len(field.__dict__), state, containers)
    new = object.__new__(type(field))
    new.__dict__ = copied = found[1].copy()
    for attribute in found[2]:
        copied[attribute] = copied[attribute].copy()
    copied["parent"] = parent
    return new


# (template field, name) -> (the template's number of attributes, a copy's state once bound as
# `name` with no parent, the names in it holding a list or a dict). As _CONTAINER_KEYS: a template
# given an attribute since is bound again.
_BOUND_STATES = {}


class CommentSerializer(VisibleRelationsSerializer):
    author = UserBriefSerializer(read_only=True)
    internal = serializers.BooleanField(required=False, default=False,
                                        help_text=_("A work note, visible to the service desk only."))
    body = serializers.CharField(allow_blank=True, required=False, default="")

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "internal", "channel", "created_at"]
        read_only_fields = ["channel", "created_at"]


class SecurityNotificationSerializer(serializers.ModelSerializer):
    notified_by = UserBriefSerializer(read_only=True)
    recipient = serializers.ChoiceField(choices=SecurityRecipient.choices)
    notified_at = serializers.DateTimeField(required=False, help_text=_("When they were told; now if not given."))

    class Meta:
        model = SecurityNotification
        fields = ["id", "recipient", "recipient_detail", "notified_at", "notified_by", "reference", "note",
                  "created_at"]
        read_only_fields = ["id", "notified_by", "created_at"]


# The fields incident_row is written for, in order (IncidentSerializer's own; the test holds
# them equal, so a new field fails it rather than silently taking the slower path).
INCIDENT_ROW_FIELDS = (
    ("id", serializers.BigIntegerField), ("number", serializers.CharField), ("title", serializers.CharField),
    ("description", serializers.CharField), ("caller", VisiblePrimaryKeyRelatedField),
    ("caller_detail", UserBriefSerializer), ("channel", serializers.ChoiceField),
    ("category", VisibleSlugRelatedField), ("subcategory", VisibleSlugRelatedField),
    ("service", VisiblePrimaryKeyRelatedField), ("configuration_item", VisiblePrimaryKeyRelatedField),
    ("impact", serializers.ChoiceField), ("urgency", serializers.ChoiceField), ("priority", serializers.IntegerField),
    ("priority_override", serializers.BooleanField), ("priority_override_reason", serializers.CharField),
    ("state", serializers.ChoiceField), ("on_hold_reason", serializers.ChoiceField),
    ("assignment_group", VisiblePrimaryKeyRelatedField), ("assigned_to", VisiblePrimaryKeyRelatedField),
    ("assigned_to_detail", UserBriefSerializer), ("resolution_code", serializers.ChoiceField),
    ("resolution_notes", serializers.CharField), ("is_major", serializers.BooleanField),
    ("service_down", serializers.BooleanField), ("parent", VisibleSlugRelatedField),
    ("reopen_count", serializers.IntegerField), ("created_at", serializers.DateTimeField),
    ("updated_at", serializers.DateTimeField), ("first_responded_at", serializers.DateTimeField),
    ("resolved_at", serializers.DateTimeField), ("closed_at", serializers.DateTimeField),
    ("version", serializers.IntegerField), ("slas", TicketClocksSerializer), ("url", RecordUrlField),
    ("is_security", serializers.BooleanField), ("security", serializers.SerializerMethodField),
)


# What incident_row reads of an incident: its columns (by attribute name) and its relations.
ROW_ATTRIBUTES = ("id", "number", "title", "description", "caller_id", "channel", "service_id",
                  "configuration_item_id", "impact", "urgency", "priority", "priority_override",
                  "priority_override_reason", "state", "on_hold_reason", "assignment_group_id",
                  "assigned_to_id", "resolution_code", "resolution_notes", "is_major", "service_down",
                  "reopen_count", "created_at", "updated_at", "first_responded_at", "resolved_at", "closed_at",
                  "version", "is_security")
ROW_RELATIONS = ("caller", "assigned_to", "category", "subcategory", "parent")


def _row_values():
    """`values(incident)`: (ROW_ATTRIBUTES' values, ROW_RELATIONS' rows), as reading each attribute
    answers. An Incident whose columns are in its __dict__ and whose relations are cached (a list's
    rows, core.selects.RowsWith; the ORM's with select_related) is read by two C calls there,
    where the descriptors were ten Python calls a row, ~250 a list page (issue 12, ninth round);
    anything else (a deferred column, a relation not loaded, a subclass, a required relation
    cached as None, which its descriptor refuses) by the attributes, as before."""
    by_attributes, related_by_attributes = attrgetter(*ROW_ATTRIBUTES), attrgetter(*ROW_RELATIONS)
    fields = [Incident._meta.get_field(name) for name in ROW_RELATIONS]
    column_types = (DeferredAttribute, ForeignKeyDeferredAttribute)
    plain = (all(type(inspect.getattr_static(Incident, name)) in column_types for name in ROW_ATTRIBUTES)
             and all(type(inspect.getattr_static(Incident, field.name)) is ForwardManyToOneDescriptor
                     and field.cache_name == field.name for field in fields))
    required = [i for i, field in enumerate(fields) if not field.null]
    if not plain:
        return (lambda incident: (by_attributes(incident), related_by_attributes(incident))), None
    columns, cached = itemgetter(*ROW_ATTRIBUTES), itemgetter(*ROW_RELATIONS)

    def values(incident):
        if type(incident) is Incident:
            try:
                related = cached(incident._state.fields_cache)
                own = columns(incident.__dict__)
            except KeyError:
                pass
            else:
                if not required or None not in [related[i] for i in required]:
                    return own, related
        return by_attributes(incident), related_by_attributes(incident)
    return values, required


# _ROW_REQUIRED: the indexes in ROW_RELATIONS of the relations an incident must have, or None
# when an incident's attributes are not plain (then a listed row is written from its instance).
_ROW_VALUES, _ROW_REQUIRED = _row_values()
_LISTED_PICK = []  # [itemgetter]: ROW_ATTRIBUTES' values out of a listed row (incidents.api.rows)


def _listed_pick():
    if not _LISTED_PICK:
        attnames = rows._statement("id").columns.attnames
        _LISTED_PICK.append(itemgetter(*[attnames.index(name) for name in ROW_ATTRIBUTES]))
    return _LISTED_PICK[0]


def once_per_user(nested):
    """`nested.to_representation` (a user's brief form) made once per user instance for the rows
    this serializer writes (one response's: a list's rows share their users' instances,
    core.selects.RowsWith), each row given its own copy. A list page shows ~43 users, ~26 of them
    distinct (issue 12, eighth round)."""
    represent, held = nested.to_representation, {}

    def brief(user):
        found = held.get(id(user))
        if found is None or found[0] is not user:
            found = held[id(user)] = (user, represent(user))  # the user held: its id not reused
        return dict(found[1])
    return brief


def incident_row(serializer, generic):
    """IncidentSerializer's representation of one incident, written out field by field: what
    the compiled plan (core.api.serializers) answers, without a getter call per field and with
    the time zone read once per response, not once per datetime (issue 12: the 37 fields of 25 rows
    were most of an API list's serializing). None when the serializer's fields are not the ones
    it was written for. Any error on the way replays the row through `generic` (the compiled
    plan, which replays DRF's path field by field), so errors and defaults stay DRF's.
    incidents/tests/test_api_representation.py holds it equal to DRF's own to_representation."""
    fields = serializer.row_fields_as_written(INCIDENT_ROW_FIELDS,
                                              bound=("caller_detail", "assigned_to_detail", "slas"))
    if fields is None:
        return None
    for name in ("category", "subcategory"):
        if fields[name].slug_field != "slug":
            return None
    if fields["parent"].slug_field != "number":
        return None
    id_ = big_integer(fields["id"])
    channel, impact, urgency, state, on_hold, resolution = (
        (fields[name].choice_strings_to_values, fields[name].to_representation)
        for name in ("channel", "impact", "urgency", "state", "on_hold_reason", "resolution_code"))
    # The plain values a row holds answered in the row itself, without a call: a choice's text
    # or number by one C look-up; other values (None, an enum member...) by the functions.
    channel_text, state_text, on_hold_text, resolution_text = (
        choices_by_text(fields[name]) for name in ("channel", "state", "on_hold_reason", "resolution_code"))
    impact_number, urgency_number = (choices_by_number(fields[name]) for name in ("impact", "urgency"))
    plain_id = id_ is as_int
    boolean = fields["is_major"].to_representation  # every BooleanField's is the same
    created, updated, responded, resolved, closed = (
        fields[name].to_representation
        for name in ("created_at", "updated_at", "first_responded_at", "resolved_at", "closed_at"))
    caller_detail = once_per_user(fields["caller_detail"])
    assigned_detail = once_per_user(fields["assigned_to_detail"])
    slas = fields["slas"]
    viewname = fields["url"].viewname
    get_security = serializer.get_security
    # IncidentSerializer's answers None for an incident that is not a security incident without
    # reading the request: called for those only (a subclass's, always).
    own_security = type(serializer).get_security is not IncidentSerializer.get_security
    # The response's time zone: a serializer represents the rows of one response, in its request;
    # each instant of the response converted once (shared with the clocks' rows).
    iso = iso_writer(serializer, timezone.get_current_timezone())

    def flag(value):
        return value if type(value) is bool else (None if value is None else boolean(value))

    parts = []

    def url(pk):
        # url_with_pk's route, split once per response (the URL configuration and script prefix
        # it reads per call are the request's); an odd pk goes through url_with_pk itself.
        if not parts:
            parts.extend(url_with_pk(viewname, URL_PK_MARK).split(str(URL_PK_MARK)))
        if type(pk) is not int or len(parts) != 2:
            return url_with_pk(viewname, pk)
        return f"{parts[0]}{pk}{parts[1]}"

    values_of = _ROW_VALUES
    # Each instant's text once per response (iso_writer): a text already made is one C call away.
    text_of = iso.texts.get

    def row(incident):
        try:
            own, related = values_of(incident)
            return write(own, related, slas.get_attribute(incident), incident)
        except Exception:  # noqa: BLE001 - DRF's path answers (or raises) as it always did
            return generic(incident)

    required, pick = _ROW_REQUIRED, _listed_pick()

    def listed(item):
        """A ListedIncident (incidents.api.rows) written from its values, as row() writes its
        instance; a security incident, a required relation missing or any error, from the
        instance, as row() does (written out here: `row.listed` calling `row` would be a
        reference cycle, core.api.cycles)."""
        if required is not None:
            own, related = pick(item.row), item.related
            if not own[-1] and not own_security and None not in [related[i] for i in required]:
                try:
                    return write(own, related, item.clocks, None)
                except Exception:  # noqa: BLE001 - answered from the instance, its fallbacks included
                    pass
        incident = item.incident()
        try:
            own, related = values_of(incident)
            return write(own, related, slas.get_attribute(incident), incident)
        except Exception:  # noqa: BLE001 - DRF's path answers (or raises) as it always did
            return generic(incident)

    def write(own, related, clocks, incident):
        (pk, number, title, description, caller_id, channel_value, service_id, ci_id, impact_value,
         urgency_value, priority, priority_override, override_reason, state_value, on_hold_value,
         group_id, assignee_id, resolution_value, resolution_notes, is_major, service_down, reopen_count,
         created_at, updated_at, responded_at, resolved_at, closed_at, version, security) = own
        caller, assignee, category, subcategory, parent = related
        return {
            "id": pk if plain_id and type(pk) is int else None if pk is None else id_(pk),
            "number": number if type(number) is str else as_text(number),
            "title": title if type(title) is str else as_text(title),
            "description": description if type(description) is str else as_text(description),
            "caller": caller_id,
            "caller_detail": None if caller is None else caller_detail(caller),
            "channel": channel_text(channel_value, channel_value) if type(channel_value) is str
            else choice_value(channel_value, *channel),
            "category": None if category is None else category.slug,
            "subcategory": None if subcategory is None else subcategory.slug,
            "service": service_id,
            "configuration_item": ci_id,
            "impact": impact_number(impact_value, impact_value) if type(impact_value) is int
            else choice_value(impact_value, *impact),
            "urgency": urgency_number(urgency_value, urgency_value) if type(urgency_value) is int
            else choice_value(urgency_value, *urgency),
            "priority": priority if type(priority) is int else as_int(priority),
            "priority_override": priority_override if type(priority_override) is bool
            else flag(priority_override),
            "priority_override_reason": override_reason if type(override_reason) is str
            else as_text(override_reason),
            "state": state_text(state_value, state_value) if type(state_value) is str
            else choice_value(state_value, *state),
            "on_hold_reason": on_hold_text(on_hold_value, on_hold_value) if type(on_hold_value) is str
            else choice_value(on_hold_value, *on_hold),
            "assignment_group": group_id,
            "assigned_to": assignee_id,
            "assigned_to_detail": None if assignee is None else assigned_detail(assignee),
            "resolution_code": resolution_text(resolution_value, resolution_value)
            if type(resolution_value) is str else choice_value(resolution_value, *resolution),
            "resolution_notes": resolution_notes if type(resolution_notes) is str
            else as_text(resolution_notes),
            "is_major": is_major if type(is_major) is bool else flag(is_major),
            "service_down": service_down if type(service_down) is bool else flag(service_down),
            "parent": None if parent is None else parent.number,
            "reopen_count": reopen_count if type(reopen_count) is int else as_int(reopen_count),
            "created_at": None if created_at is None else text_of(created_at) or iso(created_at, created),
            "updated_at": None if updated_at is None else text_of(updated_at) or iso(updated_at, updated),
            "first_responded_at": None if responded_at is None
            else text_of(responded_at) or iso(responded_at, responded),
            "resolved_at": None if resolved_at is None
            else text_of(resolved_at) or iso(resolved_at, resolved),
            "closed_at": None if closed_at is None else text_of(closed_at) or iso(closed_at, closed),
            "version": version if type(version) is int else as_int(version),
            # Most incidents of a list have no clock: [] is what the list serializer answers.
            "slas": None if clocks is None else [] if type(clocks) is list and not clocks
            else slas.to_representation(clocks),
            "url": url(pk),
            "is_security": security if type(security) is bool else flag(security),
            "security": get_security(incident) if security or own_security else None,
        }
    row.listed = listed
    return row
