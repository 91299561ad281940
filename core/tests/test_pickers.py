"""The person / CI picker (core.pickers): what a typed text resolves to, and the suggestions."""

import pytest
from django import forms
from django.urls import reverse

from accounts.roles import Role
from cmdb.choices import CIStatus
from cmdb.tests.factories import make_ci
from core.pickers import PickerField


class CallerForm(forms.Form):
    caller = PickerField("person", label="Caller", required=False)
    assignee = PickerField("agent", label="Assigned to", required=False)
    ci = PickerField("ci", label="Configuration item", required=False)


def clean(data):
    form = CallerForm(data)
    form.is_valid()
    return form


@pytest.fixture
def minji(make_user):
    user = make_user(Role.END_USER, username="minji", display_name="Kim Minji")
    user.email = "minji@example.org"
    user.save()
    return user


@pytest.mark.django_db
class TestPickerField:
    def test_a_picked_id_chooses_the_person(self, minji):
        form = clean({"caller": str(minji.pk), "caller_text": "Kim Minji (minji@example.org)"})
        assert form.cleaned_data["caller"] == minji

    def test_an_id_alone_chooses_the_person(self, minji):
        assert clean({"caller": str(minji.pk)}).cleaned_data["caller"] == minji

    @pytest.mark.parametrize("typed", ["Kim Minji", "kim minji", "MINJI@example.org", "minji",
                                       "Kim Minji (minji@example.org)"])
    def test_a_unique_name_username_email_or_label_resolves(self, minji, typed):
        assert clean({"caller": "", "caller_text": typed}).cleaned_data["caller"] == minji

    def test_text_edited_after_a_pick_wins_over_the_stale_id(self, minji, make_user):
        other = make_user(Role.END_USER, username="jisoo", display_name="Park Jisoo")
        form = clean({"caller": str(minji.pk), "caller_text": "Park Jisoo"})
        assert form.cleaned_data["caller"] == other

    def test_several_matches_are_refused_with_the_field_named(self, make_user):
        make_user(Role.END_USER, username="kim1", display_name="Kim Minji")
        make_user(Role.END_USER, username="kim2", display_name="Kim Minji")
        form = clean({"caller": "", "caller_text": "kim minji"})
        assert form.errors["caller"] == ["Caller: several people match “kim minji”. Pick one from the list."]

    def test_a_part_of_several_names_is_ambiguous(self, make_user):
        make_user(Role.END_USER, username="kim1", display_name="Kim Minji")
        make_user(Role.END_USER, username="kim2", display_name="Kim Jisoo")
        assert "several people match “Kim”" in clean({"caller_text": "Kim"}).errors["caller"][0]

    def test_an_unknown_name_is_refused_and_kept_in_the_box(self, minji):
        form = clean({"caller": "", "caller_text": "Nobody Here"})
        assert form.errors["caller"] == ["Caller: no person matches “Nobody Here”. Type a full name, username or "
                                         "e-mail, or pick one from the list."]
        assert 'value="Nobody Here"' in str(form["caller"])

    def test_an_inactive_person_is_refused_by_id_and_by_name(self, minji):
        minji.is_active = False
        minji.save()
        assert "cannot be chosen here" in clean({"caller": str(minji.pk)}).errors["caller"][0]
        assert "no person matches" in clean({"caller_text": "Kim Minji"}).errors["caller"][0]

    def test_an_agent_picker_refuses_an_end_user(self, minji, agent):
        assert "no person matches" in clean({"assignee_text": "Kim Minji"}).errors["assignee"][0]
        assert clean({"assignee_text": agent.email}).cleaned_data["assignee"] == agent

    def test_a_ci_resolves_by_name_and_a_retired_one_is_refused(self):
        mail = make_ci("mail-01")
        make_ci("old-mail", status=CIStatus.RETIRED)
        assert clean({"ci_text": "MAIL-01"}).cleaned_data["ci"] == mail
        assert "no configuration item is called" in clean({"ci_text": "old-mail"}).errors["ci"][0]

    def test_a_ci_an_end_user_may_not_see_is_refused(self, end_user):
        server = make_ci("db-01")
        field = PickerField("ci", user=end_user, label="CI")
        with pytest.raises(forms.ValidationError, match="cannot be chosen here"):
            field.clean((str(server.pk), None))
        with pytest.raises(forms.ValidationError, match="no configuration item is called"):
            field.clean(("", "db-01"))

    def test_empty_is_none_or_required(self):
        assert clean({"caller": "", "caller_text": "  "}).cleaned_data["caller"] is None
        with pytest.raises(forms.ValidationError):
            PickerField("person", label="Caller").clean(("", ""))

    def test_a_pick_shows_the_label_and_keeps_the_id_hidden(self, minji):
        html = str(CallerForm(initial={"caller": minji.pk})["caller"])
        assert 'value="Kim Minji (minji@example.org)"' in html
        assert f'type="hidden" name="caller" id="id_caller" value="{minji.pk}"' in html
        assert 'role="combobox"' in html and 'role="listbox"' in html


@pytest.mark.django_db
class TestLookup:
    def url(self, kind):
        return reverse("core:picker_lookup", args=[kind])

    def test_people_by_part_of_name_username_or_email(self, client, agent, minji, make_user):
        make_user(Role.END_USER, username="gone", display_name="Kim Gone", is_active=False)
        client.force_login(agent)
        results = client.get(self.url("person"), {"q": "kim"}).json()["results"]
        assert results == [{"id": minji.pk, "label": "Kim Minji (minji@example.org)", "detail": "minji"}]
        assert [r["id"] for r in client.get(self.url("person"), {"q": "EXAMPLE.ORG"}).json()["results"]] \
            == [minji.pk]

    def test_agents_only_for_the_agent_kind(self, client, agent, minji):
        client.force_login(agent)
        assert client.get(self.url("agent"), {"q": "kim"}).json() == {"results": []}
        assert [r["id"] for r in client.get(self.url("agent"), {"q": "agent"}).json()["results"]] == [agent.pk]

    def test_cis_by_name_with_their_class(self, client, agent):
        mail = make_ci("mail-01")
        make_ci("mail-old", status=CIStatus.RETIRED)
        client.force_login(agent)
        assert client.get(self.url("ci"), {"q": "MAIL"}).json()["results"] == [
            {"id": mail.pk, "label": "mail-01", "detail": mail.ci_class.name}]

    def test_an_unknown_kind_is_404_and_end_users_are_refused(self, client, agent, end_user):
        client.force_login(agent)
        assert client.get(self.url("team"), {"q": "a"}).status_code == 404
        client.force_login(end_user)
        assert client.get(self.url("person"), {"q": "a"}).status_code == 403

    def test_a_constant_number_of_queries(self, client, agent, make_user, django_assert_num_queries):
        for n in range(30):
            make_user(Role.END_USER, username=f"kim{n}", display_name=f"Kim {n}")
            make_ci(f"kim-server-{n}")
        client.force_login(agent)
        client.get(self.url("person"), {"q": "kim"})  # the user's roles, then kept per process
        for kind in ("person", "agent", "ci"):
            # session, user, the suggestions (the user's roles are kept per process)
            with django_assert_num_queries(3):
                response = client.get(self.url(kind), {"q": "kim"})
            assert len(response.json()["results"]) == (20 if kind != "agent" else 0)


@pytest.mark.django_db
def test_the_present_value_stays_acceptable_when_it_could_no_longer_be_picked(minji):
    minji.is_active = False
    minji.save()
    field = PickerField("person", label="Caller", current=minji)
    assert field.clean((str(minji.pk), "Kim Minji (minji@example.org)")) == minji


@pytest.mark.django_db
def test_the_refusal_reads_in_korean(minji):
    from django.utils import translation

    with translation.override("ko"):
        form = clean({"caller_text": "Nobody"})
        assert form.errors["caller"][0].startswith("Caller: “Nobody”에 해당하는 사람이 없습니다.")
        assert "이름 또는 이메일을 입력하세요" in str(form["caller"])
