"""The form contract (catalog.formschema): answers validated, definitions checked, forms built.
Plain Python: unsaved items, no HTTP; only the people and CI rules touch the database."""

import copy

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.roles import Role
from catalog.formschema import AnswersInvalid, build_form, check_form_definition, validate_answers
from catalog.models import CatalogItem
from catalog.tests.factories import laptop_form
from cmdb.tests.factories import make_ci


def item(schema=None, ui=None):
    default_schema, default_ui = laptop_form()
    return CatalogItem(name="Laptop", form_schema=schema or default_schema, form_ui=ui or default_ui)


def errors_of(answers, *, user=None, on=None):
    with pytest.raises(AnswersInvalid) as caught:
        validate_answers(on or item(), answers, user=user)
    return caught.value.errors


BASE = {"model": "standard", "reason": "New starter"}


def test_valid_answers_are_cleaned_trimmed_and_coerced():
    cleaned = validate_answers(item(), {"model": "developer", "memory": "16", "reason": "  build servers ",
                                        "needed_by": "2026-12-24", "extras": ["dock"], "urgent": False,
                                        "quote": ""}, user=None)
    assert cleaned == {"model": "developer", "memory": 16, "reason": "build servers", "needed_by": "2026-12-24",
                       "extras": ["dock"], "urgent": False}


def test_whole_float_becomes_integer():
    assert validate_answers(item(), {**BASE, "model": "developer", "memory": 32.0}, user=None)["memory"] == 32


def test_unknown_field_is_refused_by_name():
    assert errors_of({**BASE, "colour": "red"}) == {"colour": ["“colour” is not a question of this form."]}


def test_answers_must_be_an_object():
    assert "answers" in errors_of(["model"])


@pytest.mark.parametrize("field, value, message", [
    ("reason", 12, "Reason: give text."),
    ("reason", ["a"], "Reason: give text."),
    ("needed_by", 20261224, "Needed by: give a date as YYYY-MM-DD."),
    ("needed_by", "24/12/2026", "Needed by: give a date as YYYY-MM-DD."),
    ("needed_by", "2026-02-30", "Needed by: give a date as YYYY-MM-DD."),
    ("needed_by", "20261224", "Needed by: give a date as YYYY-MM-DD."),
    ("urgent", "yes", "Urgent: answer yes or no."),
    ("urgent", 1, "Urgent: answer yes or no."),
    ("extras", "dock", "Extras: choose options from the list."),
    ("extras", ["dock", "dock"], "Extras: choose each option once."),
    ("extras", ["printer"], "Extras: “printer” is not one of the choices."),
    ("for_person", "kim", "For: pick a person from the list."),
    ("for_person", True, "For: pick a person from the list."),
    ("for_person", 10**30, "For: pick a person from the list."),
    ("service", -3, "Service: pick a configuration item from the list."),
    ("quote", {"name": "x"}, "Quote: attach a file."),
    ("reason", "x" * 201, "Reason: write at most 200 characters."),
    ("reason", "nul\x00byte", "Reason: the answer holds a character that cannot be stored."),
])
def test_wrong_types_are_refused_naming_the_label(field, value, message):
    assert errors_of({**BASE, field: value}) == {field: [message]}


def test_a_choice_not_in_the_list():
    assert errors_of({**BASE, "model": "gaming"}) == {"model": ["Model: “gaming” is not one of the choices."]}


@pytest.mark.parametrize("value, message", [
    (4, "Memory (GB): give 8 or more."),
    (128, "Memory (GB): give 64 or less."),
    (8.5, "Memory (GB): give a whole number."),
    ("lots", "Memory (GB): give a whole number."),
    (float("nan"), "Memory (GB): give a whole number."),
])
def test_numbers_out_of_range_or_not_whole(value, message):
    assert errors_of({**BASE, "model": "developer", "memory": value}) == {"memory": [message]}


def test_missing_required_fields():
    assert errors_of({}) == {"model": ["Model: this answer is required."], "reason": ["Reason: this answer is required."]}


def test_required_only_when_shown():
    assert "memory" not in validate_answers(item(), BASE, user=None)
    assert errors_of({**BASE, "model": "developer"}) == {"memory": ["Memory (GB): this answer is required."]}


def test_a_hidden_field_sent_anyway_is_refused():
    assert errors_of({**BASE, "memory": 16}) == {
        "memory": ["Memory (GB) is asked only when “Model” is Developer; leave it out."]}


def test_blank_answers_to_hidden_fields_count_as_absent():
    assert validate_answers(item(), {**BASE, "memory": None, "needed_by": "", "extras": []}, user=None) == BASE


def test_show_if_in_several_values_and_on_multichoice_and_yesno():
    schema, ui = laptop_form()
    ui["fields"]["reason"]["show_if"] = {"field": "extras", "in": ["dock", "mouse"]}
    ui["fields"]["needed_by"]["show_if"] = {"field": "urgent", "equals": True}
    schema["required"] = ["model", "needed_by"]
    form = item(schema, ui)
    assert validate_answers(form, {"model": "standard", "urgent": False}, user=None) == {
        "model": "standard", "urgent": False}
    assert errors_of({"model": "standard", "urgent": True}, on=form) == {
        "needed_by": ["Needed by: this answer is required."]}
    assert errors_of({"model": "standard", "reason": "x"}, on=form)["reason"] == [
        "Reason is asked only when “Extras” is Dock / Mouse; leave it out."]
    assert validate_answers(form, {"model": "standard", "extras": ["mouse"], "reason": "x"}, user=None)["reason"] == "x"


def test_a_field_shown_through_a_hidden_field_is_hidden_too():
    schema, ui = laptop_form()
    ui["fields"]["reason"]["show_if"] = {"field": "memory", "equals": 16}
    assert errors_of({"model": "standard", "memory": 16, "reason": "x"}, on=item(schema, ui)) == {
        "memory": ["Memory (GB) is asked only when “Model” is Developer; leave it out."],
        "reason": ["Reason is asked only when “Memory (GB)” is 16; leave it out."]}


def test_korean_messages_use_korean_labels():
    with translation.override("ko"):
        errors = errors_of({"model": "gaming"})
    assert errors["model"][0].startswith("모델:")
    assert errors["reason"][0].startswith("사유:")
    assert "required" not in errors["reason"][0]


def test_korean_label_falls_back_to_english():
    schema, ui = laptop_form()
    del ui["fields"]["reason"]["label_ko"]
    with translation.override("ko"):
        assert errors_of({"model": "standard"}, on=item(schema, ui))["reason"][0].startswith("Reason:")


def test_an_empty_form_takes_no_answers():
    empty = CatalogItem(name="Nothing", form_schema={}, form_ui={})
    assert validate_answers(empty, {}, user=None) == {}
    assert validate_answers(empty, None, user=None) == {}
    assert "x" in errors_of({"x": 1}, on=empty)


# --- people and CIs the requester may see ----------------------------------------------------------

@pytest.mark.django_db
def test_end_user_may_name_themselves_and_colleagues_only(make_user, end_user, other_end_user):
    stranger = make_user(Role.END_USER, username="stranger", organisation="Sales")
    assert validate_answers(item(), {**BASE, "for_person": other_end_user.pk}, user=end_user)["for_person"] == \
        other_end_user.pk
    assert validate_answers(item(), {**BASE, "for_person": end_user.pk}, user=end_user)["for_person"] == end_user.pk
    assert errors_of({**BASE, "for_person": stranger.pk}, user=end_user) == {
        "for_person": ["For: this person cannot be chosen here."]}
    assert errors_of({**BASE, "for_person": 999999}, user=end_user)["for_person"]


@pytest.mark.django_db
def test_agent_may_name_anyone_active(agent, make_user):
    stranger = make_user(Role.END_USER, username="stranger", organisation="Sales")
    assert validate_answers(item(), {**BASE, "for_person": stranger.pk}, user=agent)["for_person"] == stranger.pk
    stranger.is_active = False
    stranger.save()
    assert errors_of({**BASE, "for_person": stranger.pk}, user=agent)


@pytest.mark.django_db
def test_end_user_may_pick_business_services_only(end_user, agent):
    service = make_ci("Mail", cls="business_service")
    server = make_ci("mail-db-01")
    assert validate_answers(item(), {**BASE, "service": service.pk}, user=end_user)["service"] == service.pk
    assert errors_of({**BASE, "service": server.pk}, user=end_user) == {
        "service": ["Service: this configuration item cannot be chosen here."]}
    assert validate_answers(item(), {**BASE, "service": server.pk}, user=agent)["service"] == server.pk


# --- checking a definition ------------------------------------------------------------------------

def test_the_laptop_form_is_sound():
    assert check_form_definition(*laptop_form()) == []
    assert check_form_definition({}, {}) == []
    assert check_form_definition(None, None) == []


def broken(change):
    schema, ui = copy.deepcopy(laptop_form())
    change(schema, ui)
    return check_form_definition(schema, ui)


def test_unknown_field_type():
    problems = broken(lambda s, u: s["properties"]["reason"].update({"x-field": "colour"}))
    assert len(problems) == 1 and "“reason”: unknown field type “colour”" in problems[0]


def test_type_must_fit_the_field_type():
    assert broken(lambda s, u: s["properties"]["urgent"].update({"type": "string"})) == [
        "“urgent”: a yesno field has JSON type boolean."]


def test_choices_without_labels():
    assert broken(lambda s, u: u["fields"]["model"]["choices"].pop("developer")) == [
        "“model”: these choices have no label: developer."]
    assert broken(lambda s, u: s["properties"]["model"].update({"enum": []}))


def test_show_if_pointing_at_a_missing_field_or_itself():
    assert broken(lambda s, u: u["fields"]["memory"].update({"show_if": {"field": "colour", "equals": "x"}})) == [
        "“memory”: “shown only when” names “colour”, which is not a field of this form."]
    assert broken(lambda s, u: u["fields"]["memory"].update({"show_if": {"field": "memory", "equals": 1}})) == [
        "“memory”: a field cannot be shown only when it is answered itself."]
    assert broken(lambda s, u: u["fields"]["memory"].update({"show_if": {"field": "model", "equals": "gaming"}}))


def test_show_if_loop():
    def loop(schema, ui):
        ui["fields"]["reason"]["show_if"] = {"field": "needed_by", "equals": "x"}
        ui["fields"]["needed_by"]["show_if"] = {"field": "reason", "equals": "x"}
    assert any("loop" in p for p in broken(loop))


def test_required_name_not_in_properties():
    assert broken(lambda s, u: s["required"].append("colour")) == [
        "“colour” is required but is not a field of this form."]


def test_bad_names_and_shapes():
    assert broken(lambda s, u: s["properties"].update({"Bad Name": {"type": "string", "x-field": "text"}}))
    assert broken(lambda s, u: s.update({"type": "array"}))
    assert broken(lambda s, u: u["order"].append("colour"))
    assert broken(lambda s, u: s["properties"]["memory"].update({"minimum": "eight"}))
    assert check_form_definition([], {}) == ["The form must be a JSON object."]
    assert check_form_definition({"type": "object", "properties": {}}, "x") == ["The form layout must be a JSON object."]


# --- the Django form ------------------------------------------------------------------------------

def test_form_fields_in_order_with_labels_widgets_and_conditions():
    form = build_form(item())
    assert list(form.fields) == ["model", "memory", "reason", "needed_by", "extras", "for_person", "service",
                                 "quote", "urgent"]
    html = str(form)
    assert 'type="date"' in html and "<textarea" in html and 'type="checkbox"' in html and 'type="file"' in html
    assert 'data-picker-url="/pickers/person/' in html or "data-picker-url" in html
    assert 'data-show-if-field="model"' in html and "data-show-if-values" in html
    assert "catalog-form.js" in html and "<script>" not in html
    assert form.fields["model"].required and not form.fields["memory"].required
    assert form.fields["memory"].widget.attrs["min"] == 8


def test_form_labels_in_korean():
    with translation.override("ko"):
        form = build_form(item())
        assert form.fields["model"].label == "모델"
        assert form.fields["model"].help_text == "하나를 고르세요"
        assert ("developer", "개발자용") in form.fields["model"].choices


def test_form_errors_land_on_the_field():
    form = build_form(item(), data={"model": "developer", "memory": "100", "reason": ""})
    assert not form.is_valid()
    assert form.errors["memory"] == ["Memory (GB): give 64 or less."]
    assert form.errors["reason"] == ["Reason: this answer is required."]


def test_form_refuses_a_hidden_answer_and_keeps_what_was_typed():
    form = build_form(item(), data={"model": "standard", "memory": "16", "reason": "New starter"})
    assert not form.is_valid()
    assert "asked only when" in form.errors["memory"][0]
    assert 'value="16"' in str(form)


def test_form_answers_and_uploads():
    upload = SimpleUploadedFile("quote.pdf", b"%PDF-1.4")
    form = build_form(item(), data={"model": "developer", "memory": "16", "reason": "Builds", "needed_by": "2026-12-24",
                                    "extras": ["mouse", "dock"], "urgent": "true"}, files={"quote": upload})
    assert form.is_valid(), form.errors
    assert form.answers == {"model": "developer", "memory": 16, "reason": "Builds", "needed_by": "2026-12-24",
                            "extras": ["mouse", "dock"], "quote": "quote.pdf", "urgent": True}
    assert form.uploads == {"quote": upload}


@pytest.mark.django_db
def test_form_person_picker_uses_the_requesters_rule(end_user, make_user):
    stranger = make_user(Role.END_USER, username="stranger", organisation="Sales")
    form = build_form(item(), data={**BASE, "for_person": str(stranger.pk)}, user=end_user)
    assert not form.is_valid()
    assert form.errors["for_person"]
    form = build_form(item(), data={**BASE, "for_person": str(end_user.pk)}, user=end_user)
    assert form.is_valid(), form.errors
    assert form.answers["for_person"] == end_user.pk
