import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from accounts.models import Team
from accounts.permissions import can_change, can_view
from accounts.roles import Role
from core.choices import Channel
from core.exceptions import DomainError
from core.services import assignment_changes, update_ticket
from tests.ticketapp.models import CaseTicket, DeskTicket


@pytest.mark.django_db
def test_member_of_the_group_can_be_assigned(ticket, agent, team):
    # when
    changes = assignment_changes(group=team, person=agent)
    updated, _diff = update_ticket(ticket, actor=agent, channel=Channel.WEB, changes=changes)
    # then
    assert (updated.assignment_group, updated.assigned_to) == (team, agent)


@pytest.mark.django_db
def test_person_outside_the_group_is_refused(agent, make_user):
    # given
    other_team = Team.objects.create(name="Network Operations")
    # when
    with pytest.raises(DomainError) as refusal:
        assignment_changes(group=other_team, person=agent)
    # then
    assert (refusal.value.field, refusal.value.code) == ("assigned_to", "not_member")


@pytest.mark.django_db
def test_end_user_cannot_be_assigned(team, end_user):
    team.members.add(end_user)
    with pytest.raises(DomainError) as refusal:
        assignment_changes(group=team, person=end_user)
    assert refusal.value.field == "assigned_to"


@pytest.mark.django_db
def test_group_without_person_is_fine(team):
    assert assignment_changes(group=team, person=None) == {"assignment_group": team, "assigned_to": None}


@pytest.mark.django_db
def test_update_bypassing_assignment_changes_is_still_refused_by_the_model(ticket, agent):
    # given
    other_team = Team.objects.create(name="Network Operations")
    # when
    with pytest.raises(ValidationError):
        update_ticket(ticket, actor=agent, channel=Channel.WEB,
                      changes={"assignment_group": other_team, "assigned_to": agent})
    # then
    ticket.refresh_from_db()
    assert (ticket.assignment_group, ticket.assigned_to, ticket.version) == (None, None, 1)


@pytest.mark.django_db
def test_desk_staff_see_every_ticket(make_ticket, end_user, other_end_user, agent, manager, admin_user):
    # given
    mine, theirs = make_ticket(requester=end_user), make_ticket(requester=other_end_user)
    desk = make_ticket(DeskTicket)
    # then
    for user in (agent, manager, admin_user):
        assert set(CaseTicket.objects.visible_to(user)) == {mine, theirs}
        assert list(DeskTicket.objects.visible_to(user)) == [desk]


@pytest.mark.django_db
def test_end_user_sees_only_own_tickets(make_ticket, end_user, other_end_user):
    # given
    mine = make_ticket(requester=end_user)
    make_ticket(requester=other_end_user)
    # then
    assert list(CaseTicket.objects.visible_to(end_user)) == [mine]


@pytest.mark.django_db
def test_end_user_sees_no_desk_only_tickets(make_ticket, end_user):
    make_ticket(DeskTicket)
    assert list(DeskTicket.objects.visible_to(end_user)) == []


@pytest.mark.django_db
def test_anonymous_and_roleless_users_see_nothing(make_ticket, make_user, end_user):
    # given
    make_ticket(requester=end_user)
    roleless = make_user(Role.END_USER, username="nobody")
    roleless.groups.clear()
    roleless._role_names = None
    # then
    assert list(CaseTicket.objects.visible_to(AnonymousUser())) == []
    assert list(DeskTicket.objects.visible_to(AnonymousUser())) == []
    assert list(CaseTicket.objects.visible_to(roleless)) == []


@pytest.mark.django_db
def test_superuser_counts_as_admin(make_ticket, make_user, end_user):
    ticket = make_ticket(requester=end_user)
    boss = make_user(Role.END_USER, username="root")
    boss.is_superuser = True
    boss.save()
    boss._role_names = None
    assert list(CaseTicket.objects.visible_to(boss)) == [ticket]


@pytest.mark.django_db
def test_can_view_and_can_change(ticket, end_user, other_end_user, agent):
    assert (can_view(end_user, ticket), can_change(end_user, ticket)) == (True, False)
    assert (can_view(other_end_user, ticket), can_change(other_end_user, ticket)) == (False, False)
    assert (can_view(agent, ticket), can_change(agent, ticket)) == (True, True)
