"""The register's rules, without a database."""

from datetime import date

import pytest

from core.exceptions import DomainError, InvalidTransition
from documents import workflow
from documents.choices import DocumentState as S
from documents.workflow import DocumentFacts


def test_a_draft_goes_to_review_only_with_an_owner_and_a_new_text():
    with pytest.raises(DomainError) as info:
        workflow.check_transition(DocumentFacts(state=S.DRAFT, latest_version=1), S.REVIEW)
    assert info.value.field == "owner"
    with pytest.raises(DomainError) as info:
        workflow.check_transition(DocumentFacts(state=S.DRAFT, owner_id=1, current_version=2, latest_version=2),
                                  S.REVIEW)
    assert info.value.field == "versions"
    workflow.check_transition(DocumentFacts(state=S.DRAFT, owner_id=1, current_version=2, latest_version=3),
                              S.REVIEW)


def test_the_author_of_a_version_never_approves_it():
    facts = DocumentFacts(state=S.REVIEW, owner_id=1, latest_version=1, latest_author_id=7, actor_id=7)
    with pytest.raises(DomainError) as info:
        workflow.check_transition(facts, S.APPROVED)
    assert info.value.code == "own_document"
    workflow.check_transition(DocumentFacts(state=S.REVIEW, owner_id=1, latest_version=1, latest_author_id=7,
                                            actor_id=8), S.APPROVED)


def test_a_draft_is_not_approved_without_review_and_a_retired_document_never_moves():
    with pytest.raises(InvalidTransition) as info:
        workflow.check_transition(DocumentFacts(state=S.DRAFT, owner_id=1, latest_version=1), S.APPROVED)
    assert set(info.value.allowed) == {S.REVIEW, S.RETIRED}
    with pytest.raises(InvalidTransition):
        workflow.check_transition(DocumentFacts(state=S.RETIRED), S.DRAFT)


def test_the_next_review_is_a_year_on_unless_a_later_date_is_given():
    assert workflow.next_review(date(2026, 12, 3), None) == date(2027, 12, 3)
    assert workflow.next_review(date(2026, 12, 3), date(2026, 1, 1)) == date(2027, 12, 3)
    assert workflow.next_review(date(2026, 12, 3), date(2027, 6, 30)) == date(2027, 6, 30)


def test_only_an_approved_document_past_its_review_date_is_overdue():
    today = date(2026, 12, 3)
    assert workflow.review_overdue(S.APPROVED, date(2026, 12, 2), today)
    assert not workflow.review_overdue(S.APPROVED, date(2026, 12, 3), today)
    assert not workflow.review_overdue(S.DRAFT, date(2026, 1, 1), today)
    assert not workflow.review_overdue(S.APPROVED, None, today)


def test_only_requirements_trace_to_changes_and_releases():
    workflow.check_traced("requirement", [1], [2])
    with pytest.raises(DomainError) as info:
        workflow.check_traced("policy", [1], [])
    assert info.value.field == "changes"
    with pytest.raises(DomainError) as info:
        workflow.check_traced("architecture", [], [2])
    assert info.value.field == "releases"


def test_new_text_is_written_on_a_draft_or_an_approved_document_only():
    workflow.check_new_version(S.DRAFT)
    workflow.check_new_version(S.APPROVED)
    for state in (S.REVIEW, S.RETIRED):
        with pytest.raises(DomainError):
            workflow.check_new_version(state)
