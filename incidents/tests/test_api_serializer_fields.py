"""IncidentSerializer's fields and validators, made its own faster way, are DRF's (issue 12)."""

from rest_framework import serializers

from core.api.serializers import VisibleRelationsSerializer
from incidents.api.serializers import IncidentSerializer


class DerivedValidators(IncidentSerializer):
    # The same serializer without Meta.validators: what DRF derives from the model.
    Meta = type("Meta", (), {key: value for key, value in vars(IncidentSerializer.Meta).items()
                             if key != "validators" and not key.startswith("__")})


def test_drf_derives_no_validators_for_the_incident():
    # Meta.validators = [] stands for what DRF derives from the model: a new unique_together,
    # UniqueConstraint or unique_for_date must be declared there instead of going unvalidated.
    assert not hasattr(DerivedValidators.Meta, "validators")
    assert DerivedValidators(data={}).get_validators() == []
    assert IncidentSerializer(data={}).get_validators() == []


def test_each_serializer_has_its_own_fields_equal_to_those_made_afresh():
    made = VisibleRelationsSerializer.get_fields(IncidentSerializer())
    first, second = IncidentSerializer(data={}), IncidentSerializer(data={})
    assert list(first.fields) == list(made)
    for name, field in first.fields.items():
        other = second.fields[name]
        assert field is not other and type(field) is type(made[name])
        assert field.parent is first and other.parent is second and field.field_name == name
        assert field._kwargs.keys() == made[name]._kwargs.keys()
        assert (field.read_only, field.required, field.allow_null) == (
            made[name].read_only, made[name].required, made[name].allow_null)
        for key, value in vars(field).items():
            if type(value) in (list, dict) and value:
                assert value is not vars(other)[key], (name, key)  # what binding or validation may write
    assert isinstance(first.fields["slas"], serializers.ListSerializer)
    assert first.fields["slas"].child.parent is first.fields["slas"]
    template = first.fields_template()
    assert all(not hasattr(field, "field_name") or field.field_name is None for field in template.values())


def test_fields_made_bound_are_what_drf_s_binding_gives():
    """IncidentSerializer.fields binds a plain field's copy from a state worked out once per name:
    every attribute is what DRF's Serializer.fields (BindingDict calling Field.bind) gives."""
    ours, theirs = IncidentSerializer(data={}), IncidentSerializer(data={})
    drf = serializers.Serializer.fields.func(theirs)
    for _ in range(2):  # the second serializer takes the states kept by the first
        ours = IncidentSerializer(data={})
        assert list(ours.fields) == list(drf)
        for name, field in ours.fields.items():
            mine, other = dict(vars(field)), dict(vars(drf[name]))
            assert type(field) is type(drf[name]) and mine.pop("parent") is ours and other.pop("parent") is theirs
            if not isinstance(field, serializers.BaseSerializer):
                assert mine == other, name
            assert field.field_name == name and field.source_attrs == drf[name].source_attrs
            assert field.source_attrs is not drf[name].source_attrs
    assert ours.fields["security"].method_name == "get_security"
    assert ours.fields["caller_detail"].source_attrs == ["caller"]
