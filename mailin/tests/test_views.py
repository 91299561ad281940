"""The administrators' desk page of mail in: mailboxes, the received log, raw downloads."""

import pytest
from django.urls import reverse

from mailin import services
from mailin.models import Mailbox
from mailin.tests.conftest import corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_only_administrators_see_the_page(client, agent, end_user):
    assert client.get(reverse("mailin:mailbox_list")).status_code == 302  # to the login
    for user in (agent, end_user):
        client.force_login(user)
        assert client.get(reverse("mailin:mailbox_list")).status_code == 403


def test_log_shows_state_reason_and_ticket_in_a_constant_number_of_queries(admin_client, mailbox,
                                                                           django_assert_max_num_queries):
    for name in ("outlook_euckr.eml", "dsn_bounce.eml", "malformed.eml", "webmail_html_only.eml"):
        services.ingest(corpus(name), mailbox=mailbox)
    admin_client.get(reverse("mailin:mailbox_list"))  # warm the session and content types
    with django_assert_max_num_queries(12) as captured:
        response = admin_client.get(reverse("mailin:mailbox_list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "전자결재 상신 시 서버 오류 발생" in page and "multipart/report" in page and "no headers" in page
    first = len(captured.captured_queries)
    for name in ("iphone_inline_image.eml", "forward.eml", "iso2022kr.eml", "out_of_office.eml"):
        services.ingest(corpus(name), mailbox=mailbox)
    # The senders' new accounts move the membership generation: the next request reads the
    # viewer's roles again once (accounts.roles), the one after is the steady state compared.
    admin_client.get(reverse("mailin:mailbox_list"))
    with django_assert_max_num_queries(first):
        admin_client.get(reverse("mailin:mailbox_list"))
    failed = admin_client.get(reverse("mailin:mailbox_list"), {"state": "failed"}).content.decode()
    assert "no headers" in failed and "multipart/report" not in failed


def test_raw_download_is_the_message_as_received(admin_client, mailbox):
    record = services.ingest(corpus("outlook_euckr.eml"), mailbox=mailbox).message
    response = admin_client.get(reverse("mailin:message_raw", args=[record.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "message/rfc822"
    assert b"".join(response.streaming_content) == corpus("outlook_euckr.eml")


def test_create_and_edit_a_mailbox_keeping_the_password(admin_client, team):
    data = {"name": "security", "address": "security@desk.example", "opens": "incident", "default_group": team.pk,
            "unknown_senders": "refuse", "imap_host": "imap.example", "imap_port": 993, "imap_ssl": "on",
            "imap_user": "sec", "imap_password": "s3cret", "imap_folder": "INBOX", "processed_action": "move",
            "processed_folder": "Processed"}
    assert admin_client.post(reverse("mailin:mailbox_create"), data).status_code == 302
    mailbox = Mailbox.objects.get(name="security")
    assert mailbox.imap_password == "s3cret"
    data.update(imap_password="", imap_folder="Desk")
    assert admin_client.post(reverse("mailin:mailbox_edit", args=[mailbox.pk]), data).status_code == 302
    mailbox.refresh_from_db()
    assert (mailbox.imap_password, mailbox.imap_folder) == ("s3cret", "Desk")
    page = admin_client.get(reverse("mailin:mailbox_edit", args=[mailbox.pk])).content.decode()
    assert "s3cret" not in page


def test_a_request_mailbox_needs_its_catalog_item(admin_client):
    response = admin_client.post(reverse("mailin:mailbox_create"), {
        "name": "orders", "address": "orders@desk.example", "opens": "request", "unknown_senders": "create",
        "imap_port": 993, "imap_folder": "INBOX", "processed_action": "flag"})
    assert response.status_code == 400 and not Mailbox.objects.exists()


def test_korean_page(admin_client, admin_user, mailbox):
    admin_user.language = "ko"
    admin_user.save()
    services.ingest(corpus("dsn_bounce.eml"), mailbox=mailbox)
    page = admin_client.get(reverse("mailin:mailbox_list"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "받은 메일" in page


