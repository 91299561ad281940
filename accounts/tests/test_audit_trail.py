"""Who could act as whom, and since when: token issue and revoke and profile edits are audited."""

import pytest
from django.urls import reverse

from accounts.models import ApiToken, User
from core.choices import AuditAction, Channel
from core.tests.audit_helpers import trail

pytestmark = pytest.mark.django_db


def test_token_issued_and_revoked_on_the_page_is_audited_without_the_key(client, agent):
    client.force_login(agent)
    client.post(reverse("accounts:token_list"), {"name": "monitoring bridge"})
    token = ApiToken.objects.get(user=agent)
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    issued, revoked = trail(token)
    assert (issued.action, issued.actor, issued.channel) == (AuditAction.CREATED, agent, Channel.WEB)
    assert issued.new_value == {"user": agent.pk, "name": "monitoring bridge", "prefix": token.prefix}
    assert (revoked.field, revoked.old_value, revoked.actor) == ("revoked_at", None, agent)


def test_admin_revokes_tokens_with_an_action_and_it_is_audited(client, admin_user, agent):
    token, _key = ApiToken.issue(agent)
    client.force_login(admin_user)
    client.post("/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert [(e.field, e.actor) for e in trail(token)] == [("revoked_at", admin_user)]


def test_profile_page_changes_are_audited_per_field(client, agent):
    client.force_login(agent)
    client.post(reverse("accounts:profile"), {"display_name": "Kim Agent", "email": agent.email, "phone": "",
                                              "language": "ko", "notifications": ["created", "assigned"]})
    rows = {e.field: (e.old_value, e.new_value, e.actor, e.channel) for e in trail(agent)}
    assert rows["display_name"][1:] == ("Kim Agent", agent, Channel.WEB)
    assert rows["language"][:2] == ("", "ko")
    assert "commented" in rows["muted_notifications"][1]
    assert "email" not in rows  # unchanged fields write nothing


def test_profile_api_patch_is_audited(end_user_api, end_user):
    end_user_api.patch("/api/v1/users/me/", {"display_name": "Jang Min-seo"}, format="json")
    [row] = trail(end_user)
    assert (row.field, row.new_value, row.actor, row.channel) == ("display_name", "Jang Min-seo", end_user,
                                                                  Channel.API)


def test_admin_user_edit_is_audited_and_the_password_hash_never_stored(client, admin_user, agent):
    client.force_login(admin_user)
    response = client.post("/admin/accounts/user/add/", {"username": "newbie", "password1": "Sup3r-secret-42",
                                                         "password2": "Sup3r-secret-42", "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:3000]
    newbie = User.objects.get(username="newbie")
    [created] = trail(newbie)
    assert created.actor == admin_user and created.new_value["username"] == "newbie"
    assert "password" not in created.new_value


def test_password_changes_on_the_desk_and_in_the_admin_are_audited_without_hashes(client, agent, admin_user):
    client.force_login(agent)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "correct-horse-battery-staple", "new_password1": "An0ther-long-pass", "new_password2": "An0ther-long-pass"})
    assert response.status_code == 302
    client.force_login(admin_user)
    response = client.post(f"/admin/accounts/user/{agent.pk}/password/", {
        "password1": "Th1rd-long-pass!", "password2": "Th1rd-long-pass!", "usable_password": "true"})
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.check_password("Th1rd-long-pass!")
    rows = [(e.field, e.old_value, e.new_value, e.actor) for e in trail(agent)]
    assert rows == [("password", None, None, agent), ("password", None, None, admin_user)]
