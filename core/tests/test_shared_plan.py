"""A serializer class whose fields read only the instance compiles its plan once (issue 12, fifth
round); one with a field reading the serializer (a method, a nested serializer) compiles per
instance, as before. Both answer what DRF's own to_representation answers."""

import pytest
from rest_framework import serializers

from accounts.api.serializers import MeSerializer, UserBriefSerializer
from core.api.serializers import VisibleRelationsSerializer
from sla.api.serializers import SLAClockSerializer

pytestmark = pytest.mark.django_db


def test_a_plain_serializer_shares_its_plan(agent, end_user, monkeypatch):
    monkeypatch.delattr(UserBriefSerializer, "_shared_plan", raising=False)
    first, second = UserBriefSerializer(), UserBriefSerializer(context={"request": None})
    assert first.to_representation(agent) == serializers.Serializer.to_representation(UserBriefSerializer(), agent)
    assert "_shared_plan" in UserBriefSerializer.__dict__
    assert second.to_representation(end_user) == serializers.Serializer.to_representation(
        UserBriefSerializer(), end_user)
    assert "fields" not in second.__dict__  # the second instance built no fields to answer


def test_fields_that_read_the_serializer_keep_a_plan_per_instance():
    for cls in (MeSerializer, SLAClockSerializer):  # a StringRelatedField / a method field
        cls().compile_row()
        assert "_shared_plan" not in cls.__dict__


def test_a_serializer_that_changes_its_fields_keeps_a_plan_per_instance(agent):
    class Narrowed(UserBriefSerializer):
        def get_fields(self):
            fields = super().get_fields()
            fields.pop("username")
            return fields

    assert Narrowed().to_representation(agent) == {"id": agent.pk, "display_name": agent.display_name}
    assert "_shared_plan" not in Narrowed.__dict__ and issubclass(Narrowed, VisibleRelationsSerializer)


def test_an_instance_whose_fields_were_changed_compiles_its_own(agent):
    UserBriefSerializer().to_representation(agent)  # the class's plan, shared
    narrowed = UserBriefSerializer()
    narrowed.fields.pop("username")
    assert narrowed.to_representation(agent) == {"id": agent.pk, "display_name": agent.display_name}
    assert UserBriefSerializer().to_representation(agent)["username"] == agent.username


def test_a_serializer_with_its_own_init_keeps_a_plan_per_instance(agent):
    class Trimmed(UserBriefSerializer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.context.get("trim"):
                self.fields.pop("username")

    assert "username" in Trimmed().to_representation(agent)
    assert "username" not in Trimmed(context={"trim": True}).to_representation(agent)
    assert "_shared_plan" not in Trimmed.__dict__
