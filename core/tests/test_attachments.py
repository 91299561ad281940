import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.attachments import validate_upload
from core.choices import Channel
from core.exceptions import DomainError
from core.models import AuditEntry
from core.services import add_attachment


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_allowed_file_gives_name_and_type(settings):
    assert validate_upload(SimpleUploadedFile("../../etc/report.PDF", b"%PDF")) == ("report.PDF", "application/pdf")


@pytest.mark.parametrize("name", ["run.exe", "script.sh", "noextension", ""])
def test_type_not_on_the_list_is_refused(name):
    with pytest.raises(DomainError) as refusal:
        validate_upload(SimpleUploadedFile(name, b"data") if name else _nameless())
    assert (refusal.value.field, refusal.value.code) == ("file", "file_type")


def _nameless():
    # Django refuses to set an empty name, but a client can send one.
    upload = SimpleUploadedFile("x", b"data")
    upload._name = ""
    return upload


def test_file_over_the_limit_is_refused(settings):
    # given
    settings.ATTACHMENT_MAX_BYTES = 10
    # when
    with pytest.raises(DomainError) as refusal:
        validate_upload(SimpleUploadedFile("big.txt", b"x" * 11))
    # then
    assert refusal.value.code == "file_size"
    assert "big.txt" in str(refusal.value)


def test_file_at_the_limit_is_accepted(settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    assert validate_upload(SimpleUploadedFile("ok.txt", b"x" * 10))[0] == "ok.txt"


def test_allowed_types_come_from_settings(settings):
    settings.ATTACHMENT_ALLOWED_EXTENSIONS = ["exe"]
    assert validate_upload(SimpleUploadedFile("tool.exe", b"MZ"))[0] == "tool.exe"


@pytest.mark.django_db
def test_refused_upload_writes_nothing(ticket, end_user):
    with pytest.raises(DomainError):
        add_attachment(ticket, actor=end_user, channel=Channel.PORTAL, upload=SimpleUploadedFile("x.exe", b"MZ"))
    assert ticket.attachments.count() == 0
    assert AuditEntry.objects.for_object(ticket).count() == 1


@pytest.fixture
def files(ticket, agent, end_user):
    public = add_attachment(ticket, actor=end_user, channel=Channel.PORTAL,
                            upload=SimpleUploadedFile("screen.png", b"PNGDATA"))
    internal = add_attachment(ticket, actor=agent, channel=Channel.WEB, internal=True,
                              upload=SimpleUploadedFile("vendor.txt", b"secret"))
    return public, internal


def _download(client, user, attachment):
    client.force_login(user)
    return client.get(reverse("core:attachment_download", args=[attachment.pk]))


@pytest.mark.django_db
def test_requester_downloads_public_file(client, end_user, files):
    response = _download(client, end_user, files[0])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PNGDATA"
    assert 'filename="screen.png"' in response["Content-Disposition"]


@pytest.mark.django_db
def test_requester_gets_404_for_internal_file(client, end_user, files):
    assert _download(client, end_user, files[1]).status_code == 404


@pytest.mark.django_db
def test_other_end_user_gets_404(client, other_end_user, files):
    assert _download(client, other_end_user, files[0]).status_code == 404


@pytest.mark.django_db
def test_agent_downloads_internal_file(client, other_agent, files):
    assert _download(client, other_agent, files[1]).status_code == 200


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, files):
    response = client.get(reverse("core:attachment_download", args=[files[0].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_unknown_attachment_is_404(client, agent):
    client.force_login(agent)
    assert client.get(reverse("core:attachment_download", args=[999999])).status_code == 404
