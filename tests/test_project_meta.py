"""Checks across every app: migrations are complete and every ticket type plays by core's rules."""

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from accounts.models import User
from accounts.roles import Role
from core.models import Ticket


def _ticket_models():
    return [model for model in apps.get_models() if issubclass(model, Ticket)]


@pytest.mark.django_db
def test_models_have_their_migrations():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)  # exits non-zero if any
    assert "No changes detected" in out.getvalue()


def test_ticket_types_are_registered():
    assert {model._meta.label for model in _ticket_models()} >= {"ticketapp.CaseTicket", "ticketapp.DeskTicket"}


def test_every_ticket_type_has_its_own_number_prefix():
    prefixes = [model.NUMBER_PREFIX for model in _ticket_models()]
    assert all(prefix and prefix.isupper() and len(prefix) <= 8 for prefix in prefixes), prefixes
    assert len(prefixes) == len(set(prefixes)), prefixes


# Who requests each ticket type (None: a desk-only record). A new ticket type is added here
# deliberately, so its portal exposure is a decision, not a default.
REQUESTER_FIELDS = {
    "incidents.Incident": "caller",
    "problems.Problem": None,
    "changes.Change": None,
    "releases.Release": None,
    "fulfilment.Request": "requested_for",  # placed for someone: they follow it (requested_by too)
    "fulfilment.Task": None,
    "improvements.Improvement": None,  # the improvement register is a desk record
    "ticketapp.CaseTicket": "requester",
    "ticketapp.DeskTicket": None,
    "voc.Voc": "reported_by",  # the person who raised it follows it in the portal
    "documents.Document": None,  # the document register is a desk record
}


def test_every_ticket_type_declares_its_requester():
    assert {model._meta.label: model.REQUESTER_FIELD for model in _ticket_models()} == REQUESTER_FIELDS


@pytest.mark.parametrize("label", sorted(k for k, v in REQUESTER_FIELDS.items() if v))
def test_requester_field_is_a_user(label):
    model = apps.get_model(label)
    field = model._meta.get_field(REQUESTER_FIELDS[label])
    assert field.many_to_one and field.related_model._meta.label == "accounts.User"


def _end_user():
    user = User(pk=2**31, username="portal-only")
    user._role_names = frozenset({Role.END_USER})
    return user


@pytest.mark.parametrize("label", sorted(k for k, v in REQUESTER_FIELDS.items() if v is None))
def test_desk_only_ticket_types_show_end_users_nothing(label):
    assert apps.get_model(label).objects.all().visible_to(_end_user()).query.is_empty()


@pytest.mark.parametrize("label", sorted(k for k, v in REQUESTER_FIELDS.items() if v))
def test_requested_ticket_types_show_end_users_their_own(label):
    query = apps.get_model(label).objects.all().visible_to(_end_user()).query
    assert not query.is_empty() and query.where


@pytest.mark.django_db
@pytest.mark.parametrize("model", _ticket_models(), ids=lambda model: model._meta.label)
def test_every_ticket_type_starts_from_visible_to(model):
    assert list(model.objects.all().visible_to(AnonymousUser())) == []
