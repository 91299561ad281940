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
                            upload=SimpleUploadedFile("screen.png", b"\x89PNG\r\n\x1a\nDATA"))
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
    assert b"".join(response.streaming_content) == b"\x89PNG\r\n\x1a\nDATA"
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


# --- content must match the extension ------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 40


def _zip(*names):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name, content", [
    ("screenshot.png", SVG),
    ("manual.pdf", EXE),
    ("manual.pdf", ELF),
    ("photo.jpg", PNG),
    ("report.docx", EXE),
    ("notes.txt", EXE),
    ("server.log", PNG),
    ("data.csv", b"a,b\n1,\x00\n"),
    ("blank.pdf", b""),
])
def test_content_that_is_not_what_the_extension_says_is_refused(name, content):
    with pytest.raises(DomainError) as refusal:
        validate_upload(SimpleUploadedFile(name, content))
    assert (refusal.value.field, refusal.value.code) == ("file", "file_content")
    assert name in str(refusal.value)


@pytest.mark.parametrize("name, content, mime", [
    ("screenshot.png", PNG, "image/png"),
    ("manual.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf"),
    ("photo.JPEG", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20, "image/jpeg"),
    ("anim.gif", b"GIF89a" + b"\x00" * 20, "image/gif"),
    ("report.docx", _zip("[Content_Types].xml", "word/document.xml"),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("sheet.ods", _zip("mimetype", "content.xml"), "application/vnd.oasis.opendocument.spreadsheet"),
    ("logs.zip", _zip("a.log"), "application/zip"),
    ("notes.txt", "메일 서버 timeout\r\n\tretry".encode(), "text/plain"),
    ("legacy.csv", "이름,부서\n홍길동,재무\n".encode("cp949"), "text/csv"),
    ("utf16.txt", "\ufeffhello".encode("utf-16"), "text/plain"),
    ("empty.txt", b"", "text/plain"),
    ("config.json", b'{"a": 1}', "application/json"),
])
def test_content_that_matches_is_accepted(name, content, mime):
    assert validate_upload(SimpleUploadedFile(name, content)) == (name, mime)


def test_the_upload_can_still_be_read_from_the_start_after_the_check():
    upload = SimpleUploadedFile("screenshot.png", PNG)
    validate_upload(upload)
    assert upload.read() == PNG

