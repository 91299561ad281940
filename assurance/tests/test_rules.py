"""The programme's pure rules, without a database."""

import datetime as dt

import pytest

from assurance import rules
from assurance.choices import AuditState as A
from assurance.choices import CertificationKind as K
from core.exceptions import DomainError, InvalidTransition

D = dt.date


# --- next certification audit -----------------------------------------------------------------
@pytest.mark.parametrize("events, expected", [
    ([], None),
    ([(K.ENQUIRY, D(2025, 1, 5))], (K.APPLICATION, None)),
    ([(K.ENQUIRY, D(2025, 1, 5)), (K.APPLICATION, D(2025, 2, 1))], (K.STAGE1, None)),
    ([(K.STAGE1, D(2025, 4, 1))], (K.STAGE2, None)),
    ([(K.PRE_AUDIT, D(2025, 5, 1))], (K.STAGE2, None)),
    ([(K.STAGE1, D(2025, 4, 1)), (K.STAGE2, D(2025, 6, 1))], (K.DECISION, None)),
    # after the decision: surveillance at +12, again at +24, recertification before +36 months
    ([(K.STAGE2, D(2025, 6, 1)), (K.DECISION, D(2025, 7, 15))], (K.SURVEILLANCE, D(2026, 7, 15))),
    ([(K.DECISION, D(2025, 7, 15)), (K.SURVEILLANCE, D(2026, 7, 1))], (K.SURVEILLANCE, D(2027, 7, 15))),
    ([(K.DECISION, D(2025, 7, 15)), (K.SURVEILLANCE, D(2026, 7, 1)), (K.SURVEILLANCE, D(2027, 7, 2))],
     (K.RECERTIFICATION, D(2028, 7, 15))),
    ([(K.DECISION, D(2025, 7, 15)), (K.SURVEILLANCE, D(2026, 7, 1)), (K.SURVEILLANCE, D(2027, 7, 2)),
      (K.RECERTIFICATION, D(2028, 5, 2))], (K.DECISION, D(2028, 7, 15))),
    # the recertification decision starts a new cycle
    ([(K.DECISION, D(2025, 7, 15)), (K.RECERTIFICATION, D(2028, 5, 2)), (K.DECISION, D(2028, 6, 30))],
     (K.SURVEILLANCE, D(2029, 6, 30))),
    # a leap day decision: the anniversary falls on the 28th
    ([(K.DECISION, D(2028, 2, 29))], (K.SURVEILLANCE, D(2029, 2, 28))),
    # order of the input does not matter
    ([(K.SURVEILLANCE, D(2026, 7, 1)), (K.DECISION, D(2025, 7, 15))], (K.SURVEILLANCE, D(2027, 7, 15))),
])
def test_next_due_follows_the_certification_cycle(events, expected):
    # when
    due = rules.next_due(events)
    # then
    assert (None if due is None else (due.kind, due.date)) == expected


def test_next_due_is_overdue_only_after_its_date():
    due = rules.next_due([(K.DECISION, D(2025, 7, 15))])
    assert rules.is_overdue(due, D(2026, 7, 15)) is False
    assert rules.is_overdue(due, D(2026, 7, 16)) is True
    assert rules.is_overdue(rules.next_due([(K.STAGE1, D(2025, 1, 1))]), D(2030, 1, 1)) is False


# --- independence -----------------------------------------------------------------------------
@pytest.mark.parametrize("auditor_teams, audited, conflicts", [
    ({1}, {2, 3}, set()),
    ({1, 2}, {2, 3}, {2}),
    (set(), {2}, set()),
    ({4}, set(), set()),
])
def test_an_auditor_does_not_audit_their_own_team(auditor_teams, audited, conflicts):
    assert rules.independence_conflicts(auditor_teams, audited) == conflicts


# --- coverage ---------------------------------------------------------------------------------
def test_coverage_marks_the_year_an_audit_is_done_or_planned_and_warns_for_the_rest():
    # given an audit of 8.6 done in 2025, one of 8.5.1 planned for 2027, one outside the cycle
    audits = [rules.AuditFacts(("8.6",), 2025, 2025, True), rules.AuditFacts(("8.5.1",), 2027, None, False),
              rules.AuditFacts(("4",), 2029, None, False)]
    # when
    result = rules.coverage(2025, audits)
    # then
    rows = dict(result.rows)
    assert result.years == (2025, 2026, 2027)
    assert rows["8.6.1"] == ("audited", "", "") and rows["8.6.3"] == ("audited", "", "")
    assert rows["8.5.1"] == ("", "", "planned")
    assert rows["8.5.2"] == ("", "", "")
    assert "8.5.2" in result.uncovered and "4.1" in result.uncovered
    assert "8.6.1" not in result.uncovered and "8.5.1" not in result.uncovered
    assert "8.6" not in rows  # parents are covered through their sub-clauses


def test_a_done_audit_counts_in_the_year_it_was_performed():
    result = rules.coverage(2025, [rules.AuditFacts(("9.2",), 2025, 2026, True)])
    assert dict(result.rows)["9.2"] == ("", "audited", "")


def test_a_programme_auditing_every_top_clause_covers_everything():
    audits = [rules.AuditFacts((top,), 2026, None, False) for top in ("4", "5", "6", "7", "8", "9", "10")]
    assert rules.coverage(2025, audits).uncovered == ()


# --- clauses, audits, findings ----------------------------------------------------------------
def test_clause_ids_are_checked_against_the_catalogue_naming_the_field():
    assert rules.check_clauses([" 8.6.1", "8.6.1", "9.2"], "scope") == ["8.6.1", "9.2"]
    with pytest.raises(DomainError) as refused:
        rules.check_clauses(["8.6.1", "8.9"], "clauses")
    assert refused.value.field == "clauses" and "8.9" in str(refused.value.message)


@pytest.mark.parametrize("current, target, ok", [
    (A.PLANNED, A.IN_PROGRESS, True), (A.IN_PROGRESS, A.REPORTED, True), (A.REPORTED, A.CLOSED, True),
    (A.PLANNED, A.REPORTED, False), (A.PLANNED, A.CLOSED, False), (A.CLOSED, A.PLANNED, False),
    (A.REPORTED, A.IN_PROGRESS, False),
])
def test_audit_state_machine(current, target, ok):
    if ok:
        rules.check_audit_transition(current, target, performed_date=D(2026, 1, 1))
    else:
        with pytest.raises(InvalidTransition) as refused:
            rules.check_audit_transition(current, target, performed_date=D(2026, 1, 1))
        assert refused.value.allowed == list(rules.AUDIT_TRANSITIONS[current])


def test_reporting_needs_the_performed_date_and_closing_needs_closed_findings():
    with pytest.raises(DomainError) as refused:
        rules.check_audit_transition(A.IN_PROGRESS, A.REPORTED, performed_date=None)
    assert refused.value.field == "performed_date"
    with pytest.raises(DomainError) as refused:
        rules.check_audit_transition(A.REPORTED, A.CLOSED, open_findings=2)
    assert refused.value.field == "state"


@pytest.mark.parametrize("kind, action_closed, note, ok", [
    ("major_nc", True, "", True), ("major_nc", False, "", False), ("major_nc", False, "Accepted by the auditor", True),
    ("minor_nc", None, "", False), ("ofi", None, "", True),
])
def test_a_nonconformity_closes_with_its_corrective_action_or_a_reason(kind, action_closed, note, ok):
    if ok:
        rules.check_finding_close(kind, action_closed=action_closed, note=note)
    else:
        with pytest.raises(DomainError) as refused:
            rules.check_finding_close(kind, action_closed=action_closed, note=note)
        assert refused.value.field == "closure_note"


def test_audits_reviews_and_nonconformities_are_registered_as_iso_evidence():
    from core import evidence

    assert {s.model_label for s in evidence.sources("9.2")} >= {"assurance.Audit", "assurance.Finding"}
    assert {s.model_label for s in evidence.sources("9.3")} >= {"assurance.ManagementReview",
                                                                 "assurance.ReviewAction"}
    assert "assurance.Finding" in {s.model_label for s in evidence.sources("10.1")}
