"""The register's desk pages: a document registered from the form, refused approval shown on the page."""

import pytest

from documents.models import Document

pytestmark = pytest.mark.django_db


def test_register_from_the_form_and_approve_from_the_page(client, agent, manager):
    client.force_login(agent)
    response = client.post("/documents/new/", {"title": "Problem procedure", "kind": "procedure",
                                               "owner": agent.pk, "clauses": ["8.6.3"], "body": "Find causes."})
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get()
    assert (document.clauses, document.versions.get().body) == (["8.6.3"], "Find causes.")
    client.post(f"/documents/{document.pk}/transition/", {"state": "review", "version": document.version})
    document.refresh_from_db()
    refused = client.post(f"/documents/{document.pk}/transition/", {"state": "approved", "version": document.version})
    assert refused.status_code == 400 and "never approves" in refused.content.decode()
    client.force_login(manager)
    client.post(f"/documents/{document.pk}/transition/", {"state": "approved", "version": document.version})
    document.refresh_from_db()
    assert (document.state, document.current_version) == ("approved", 1)
    page = client.get("/documents/?clause=8.6.3")
    assert document.number in page.content.decode()


def _cell(html, testid):
    import re

    return re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', html).group(1).strip()


def test_before_its_first_approval_a_document_says_so_instead_of_version_0(client, agent, manager):
    client.force_login(agent)
    client.post("/documents/new/", {"title": "Access policy", "kind": "policy", "owner": agent.pk,
                                    "body": "Least privilege."})
    document = Document.objects.get()
    assert _cell(client.get(f"/documents/{document.pk}/").content.decode(), "version-in-force") \
        == "draft, not yet approved"
    assert _cell(client.get("/documents/").content.decode(), "document-version") == "draft, not yet approved"
    korean = client.get(f"/documents/{document.pk}/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert _cell(korean, "version-in-force") == "초안, 승인 전"

    client.post(f"/documents/{document.pk}/transition/", {"state": "review", "version": document.version})
    document.refresh_from_db()
    client.force_login(manager)
    client.post(f"/documents/{document.pk}/transition/", {"state": "approved", "version": document.version})
    assert _cell(client.get(f"/documents/{document.pk}/").content.decode(), "version-in-force") == "v1"
    assert _cell(client.get("/documents/").content.decode(), "document-version") == "v1"
