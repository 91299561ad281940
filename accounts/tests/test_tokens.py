import re

import pytest
from django.urls import reverse

from accounts.models import ApiToken


@pytest.mark.django_db
def test_token_page_creates_a_token_and_shows_the_key_once(client, agent):
    # given
    client.force_login(agent)
    # when
    response = client.post(reverse("accounts:token_list"), {"name": "monitoring bridge"})
    # then
    assert response.status_code == 200
    key = re.search(r'data-testid="new-token".*?<code[^>]*>([0-9a-f]+)</code>', response.content.decode(), re.S)[1]
    token = ApiToken.objects.get(user=agent)
    assert (token.name, token.prefix, token.digest) == ("monitoring bridge", key[:8], ApiToken.hash_key(key))
    assert key not in client.get(reverse("accounts:token_list")).content.decode()


@pytest.mark.django_db
def test_new_token_authenticates_the_api(client, agent, api_client):
    client.force_login(agent)
    page = client.post(reverse("accounts:token_list"), {"name": "x"}).content.decode()
    key = re.search(r'<code class="fs-6 user-select-all">([0-9a-f]+)</code>', page)[1]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/users/me/").json()["username"] == "agent"


@pytest.mark.django_db
def test_revoke_own_token(client, agent, api_client):
    # given
    token, key = ApiToken.issue(agent, name="old")
    client.force_login(agent)
    # when
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)
    # then
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert f"Token {token.prefix}… was revoked." in response.content.decode()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/users/me/").status_code == 401


@pytest.mark.django_db
def test_cannot_revoke_someone_elses_token(client, agent, other_agent):
    token, _key = ApiToken.issue(other_agent)
    client.force_login(agent)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_revoke_needs_post(client, agent):
    token, _key = ApiToken.issue(agent)
    client.force_login(agent)
    assert client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405


@pytest.mark.django_db
def test_token_page_lists_only_own_tokens(client, agent, other_agent):
    ApiToken.issue(agent, name="mine")
    ApiToken.issue(other_agent, name="theirs")
    client.force_login(agent)
    page = client.get(reverse("accounts:token_list")).content.decode()
    assert "mine" in page and "theirs" not in page


def test_only_the_digest_is_stored():
    assert ApiToken.hash_key("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
