"""Checks across every app: migrations are complete and every ticket type plays by core's rules."""

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from core.models import Ticket


def _ticket_models():
    return [model for model in apps.get_models() if issubclass(model, Ticket)]


@pytest.mark.django_db
def test_models_have_their_migrations():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)


def test_ticket_types_are_registered():
    assert {model._meta.label for model in _ticket_models()} >= {"ticketapp.CaseTicket", "ticketapp.DeskTicket"}


def test_every_ticket_type_has_its_own_number_prefix():
    prefixes = [model.NUMBER_PREFIX for model in _ticket_models()]
    assert all(prefix and prefix.isupper() and len(prefix) <= 8 for prefix in prefixes), prefixes
    assert len(prefixes) == len(set(prefixes)), prefixes


@pytest.mark.parametrize("model", _ticket_models(), ids=lambda model: model._meta.label)
def test_requester_field_is_a_user(model):
    if model.REQUESTER_FIELD is None:
        return
    field = model._meta.get_field(model.REQUESTER_FIELD)
    assert field.many_to_one and field.related_model._meta.label == "accounts.User"


@pytest.mark.django_db
@pytest.mark.parametrize("model", _ticket_models(), ids=lambda model: model._meta.label)
def test_every_ticket_type_starts_from_visible_to(model):
    assert hasattr(model.objects, "visible_to") or hasattr(model.objects.all(), "visible_to")
    assert list(model.objects.all().visible_to(AnonymousUser())) == []
