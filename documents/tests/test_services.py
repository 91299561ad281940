"""The register's use cases: versions frozen on approval, author ≠ approver, distribution."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.choices import Channel
from core.exceptions import DomainError, PermissionRefused, StaleVersion
from core.models import AuditEntry, OutboxEvent
from documents import selectors, services
from documents.choices import DocumentState as S
from documents.models import Document

pytestmark = pytest.mark.django_db
WEB = Channel.WEB


def _approve(document, author, approver):
    document = services.transition_document(document, S.REVIEW, actor=author, channel=WEB)
    return services.transition_document(document, S.APPROVED, actor=approver, channel=WEB)


def test_approval_by_another_freezes_the_version_and_puts_it_in_force(make_document, agent, other_agent):
    document = make_document(clauses=["8.5.1", "7.5"])
    assert document.number.startswith("DOC") and document.clauses == ["7.5", "8.5.1"]
    document = services.transition_document(document, S.REVIEW, actor=agent, channel=WEB)
    with pytest.raises(DomainError) as info:
        services.transition_document(document, S.APPROVED, actor=agent, channel=WEB)
    assert info.value.field == "approved_by"
    document = services.transition_document(document, S.APPROVED, actor=other_agent, channel=WEB)
    assert (document.state, document.current_version, document.approved_by) == (S.APPROVED, 1, other_agent)
    assert document.review_at == timezone.localdate() + timedelta(days=365)
    version = document.versions.get()
    assert version.approved_by == other_agent and version.approved_at is not None
    assert OutboxEvent.objects.filter(name="document.approved").count() == 1
    assert list(selectors.approved()) == [document]


def test_a_new_version_on_an_approved_document_keeps_the_old_one_in_force(make_document, agent, other_agent):
    document = _approve(make_document(), agent, other_agent)
    document, version = services.add_version(document, actor=agent, channel=WEB, body="Second text.",
                                             change_summary="Scope widened", expected_version=document.version)
    assert (document.state, document.current_version, version.number) == (S.DRAFT, 1, 2)
    assert "-First text." in selectors.diff(document.versions.get(number=1), version)
    document = _approve(document, agent, other_agent)
    assert document.current_version == 2
    with pytest.raises(StaleVersion):
        services.add_version(document, actor=agent, channel=WEB, body="x", expected_version=1)


def test_unknown_clauses_and_untraceable_kinds_are_refused(make_document, agent):
    with pytest.raises(DomainError) as info:
        make_document(clauses=["8.5.1", "99.9"])
    assert info.value.field == "clauses" and "99.9" in str(info.value)
    with pytest.raises(DomainError) as info:
        make_document(kind="policy", changes=[1])
    assert info.value.field == "changes"
    assert not Document.objects.exists()


def test_end_users_do_not_write_the_register(end_user):
    with pytest.raises(PermissionRefused):
        services.create_document(actor=end_user, channel=WEB, title="x", kind="policy")


def test_distribution_and_acknowledgement_through_a_team(make_document, agent, other_agent, team):
    document = _approve(make_document(), agent, other_agent)
    entry = services.distribute(document, actor=agent, channel=WEB, team=team, acknowledgement_required=True)
    assert services.distribute(document, actor=agent, channel=WEB, team=team) == entry
    acknowledged = services.acknowledge(document, actor=other_agent, channel=WEB)
    assert acknowledged.person == other_agent and acknowledged.acknowledged_version == 1
    assert AuditEntry.objects.filter(field="acknowledged", object_id=document.pk).exists()


def test_acknowledging_needs_a_version_in_force_and_a_distribution(make_document, agent, end_user):
    document = make_document()
    with pytest.raises(DomainError) as info:
        services.acknowledge(document, actor=agent, channel=WEB)
    assert info.value.field == "current_version"
