"""Every declared ticket type keeps the contract core, SLA and reports rely on (no database)."""

import pytest

from core.tickets import Lifecycle, lifecycle_of, ticket_models, type_name


def _types():
    return sorted(ticket_models(), key=lambda m: m._meta.label)


def test_the_four_ticket_types_and_the_test_ticket_declare_the_contract():
    names = {type_name(m) for m in ticket_models()}
    assert {"incident", "problem", "change", "release", "caseticket"} <= names


@pytest.fixture(params=_types(), ids=lambda m: m._meta.label)
def model(request):
    return request.param


def _reachable(table, start):
    seen, todo = set(), [start]
    while todo:
        state = todo.pop()
        for target in table.get(state, ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_the_lifecycle_names_the_state_field_choices(model):
    lifecycle = lifecycle_of(model)
    assert isinstance(lifecycle, Lifecycle)
    assert set(model._meta.get_field("state").choices) == set(lifecycle.states.choices)
    assert lifecycle.initial and lifecycle.terminal
    assert lifecycle.paused <= lifecycle.open
    assert not lifecycle.initial & lifecycle.terminal


def test_terminal_states_have_no_way_out_and_every_other_state_reaches_one(model):
    lifecycle = lifecycle_of(model)
    for table in lifecycle.workflow.transition_tables():
        for state in table:
            if lifecycle.is_terminal(state):
                assert table[state] == (), f"{state} is terminal but leads to {table[state]}"
            else:
                assert _reachable(table, state) & lifecycle.terminal, f"{state} never reaches a terminal state"
        for state, targets in table.items():
            assert state in lifecycle.all and set(targets) <= lifecycle.all


def test_the_workflow_answers_through_the_one_signature(model):
    lifecycle = lifecycle_of(model)
    workflow = lifecycle.workflow
    for name in ("facts_for", "allowed_targets", "check_transition", "transition_tables"):
        assert callable(getattr(workflow, name)), name
    terminal = sorted(lifecycle.terminal)[0]
    ticket = model(state=terminal)
    facts = workflow.facts_for(ticket, {})
    assert tuple(workflow.allowed_targets(facts, is_agent=True)) == ()
    assert tuple(workflow.allowed_targets(facts, is_agent=False)) == ()
    from core.exceptions import InvalidTransition

    with pytest.raises(InvalidTransition):
        workflow.check_transition(facts, sorted(lifecycle.initial)[0], is_agent=True)


def test_state_timestamps_and_desk_only_fields_name_real_fields(model):
    lifecycle = lifecycle_of(model)
    fields = {f.name for f in model._meta.get_fields()}
    assert set(lifecycle.timestamps) <= lifecycle.all
    assert set(lifecycle.timestamps.values()) <= fields
    assert lifecycle.desk_only_fields <= fields
    assert not lifecycle.pause_reason_field or lifecycle.pause_reason_field in fields
    assert set(model.EDITABLE_FIELDS) <= fields
    assert set(model.SEARCH_FIELDS) <= fields
