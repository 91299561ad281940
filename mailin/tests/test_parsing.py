"""The parsing module on the corpus: plain Python, no database."""

import pytest

from mailin import parsing
from mailin.tests.conftest import corpus

PREFIXES = ("INC", "REQ", "TSK")


def test_outlook_euckr_body_subject_sender_and_korean_file_name():
    mail = parsing.parse(corpus("outlook_euckr.eml"))
    assert mail.subject == "전자결재 상신 시 서버 오류 발생"
    assert (mail.sender, mail.sender_name) == ("sslee@agency.example.kr", "이순신")
    assert "'서버 오류 500'이 표시됩니다" in mail.reply
    assert [(p.filename, p.content_type) for p in mail.attachments] == [("오류화면.pdf", "application/pdf")]
    assert mail.attachments[0].data.startswith(b"%PDF")
    assert not mail.auto_reason


def test_html_only_webmail_becomes_text_without_the_quoted_history():
    mail = parsing.parse(corpus("webmail_html_only.eml"))
    assert mail.html_only
    assert "shared drive S: asks for my password" in mail.reply
    assert "<p>" not in mail.reply and "newsletter" not in mail.reply
    assert "newsletter" in mail.text  # the whole body keeps it


def test_iphone_inline_image_is_an_attachment_and_the_signoff_goes():
    mail = parsing.parse(corpus("iphone_inline_image.eml"))
    (image,) = mail.attachments
    assert (image.filename, image.inline) == ("IMG_0042.PNG", True)
    assert image.data.startswith(b"\x89PNG")
    assert "HDMI" in mail.reply and "iPhone에서 보냄" not in mail.reply


def test_forward_keeps_the_forwarded_text():
    mail = parsing.parse(corpus("forward.eml"))
    assert mail.forwarded
    assert "BMC 펌웨어 2.1.7" in mail.reply


def test_reply_loses_quoted_history_and_signature():
    mail = parsing.parse(corpus("reply_quoted.eml", INC0000000="INC0001234"))
    assert mail.reply == "확인해 보니 프린터 드라이버를 다시 설치하니까 해결되었습니다.\n감사합니다."
    assert "드라이버를 다시 설치해 보시겠어요" in mail.text
    assert parsing.ticket_numbers(mail, PREFIXES) == ["INC0001234"]


@pytest.mark.parametrize("text", [
    "Thanks!\n\nOn Tue, Dec 1, 2026 at 9:00 AM Desk <d@example.com> wrote:\n> old",
    "Thanks!\n\n-----Original Message-----\nFrom: a\nSent: b\nTo: c\nSubject: d\n\nold",
    "Thanks!\n\n2026년 12월 3일 (목) 오전 9:00, 서비스데스크 <d@example.com>님이 작성:\n> old",
    "Thanks!\n\n보낸 사람: 서비스데스크 <d@example.com>\n보낸 날짜: 2026년 12월 3일\n받는 사람: 나\n제목: RE: x\n\nold",
    "Thanks!\n\n-- \nJane Doe, IT",
])
def test_latest_reply_cuts_client_quote_headers(text):
    assert parsing.latest_reply(text) == "Thanks!"


def test_iso_2022_kr():
    mail = parsing.parse(corpus("iso2022kr.eml"))
    assert mail.subject == "메일 서버 점검"
    assert mail.reply == "메일 서버 점검 일정을 알려 주세요."


@pytest.mark.parametrize(("name", "why"), [
    ("dsn_bounce.eml", "multipart/report"),
    ("out_of_office.eml", "Auto-Submitted: auto-replied"),
])
def test_machine_mail_is_recognised(name, why):
    assert why in parsing.parse(corpus(name)).auto_reason


@pytest.mark.parametrize(("headers", "why"), [
    ("Precedence: bulk\r\n", "Precedence: bulk"),
    ("Precedence: junk\r\n", "Precedence: junk"),
    ("X-Autoreply: yes\r\n", "X-Autoreply"),
    ("List-Id: <news.example.com>\r\n", "List-Id"),
    ("Return-Path: <>\r\n", "bounce"),
    ("Auto-Submitted: no\r\n", ""),
])
def test_loop_headers(headers, why):
    raw = f"From: a@example.com\r\nSubject: hi\r\nMessage-ID: <x@y>\r\n{headers}\r\nbody\r\n".encode()
    reason = parsing.parse(raw).auto_reason
    assert (why in reason) if why else reason == ""


def test_garbage_subject_is_readable_text():
    mail = parsing.parse(corpus("garbage_subject.eml"))
    assert mail.subject and "\x00" not in mail.subject and len(mail.subject) <= parsing.SUBJECT_LIMIT
    mail.subject.encode("utf-8")  # no lone surrogates
    assert mail.reply == "The subject of this mail is garbage."


def test_invalid_and_lying_charsets_fall_back_to_korean():
    mail = parsing.parse(corpus("invalid_charset.eml"))
    assert "첫 번째 부분은 CP949입니다." in mail.reply
    assert "두 번째 부분은 utf-8이라면서 EUC-KR입니다." in mail.reply


def test_not_a_message_is_malformed():
    with pytest.raises(parsing.MalformedMail):
        parsing.parse(corpus("malformed.eml"))
    with pytest.raises(parsing.MalformedMail):
        parsing.parse(b"")


def test_zip_bomb_is_recognised_from_its_directory():
    mail = parsing.parse(corpus("zip_bomb.eml"))
    (archive,) = mail.attachments
    problem = parsing.zip_problem(archive.data, max_total=200 * 1024 * 1024, max_ratio=100)
    assert "zip bomb" in problem
    assert "not a readable zip" in parsing.zip_problem(b"PK\x03\x04garbage", max_total=1, max_ratio=1)


def test_ticket_numbers_prefer_our_message_ids_then_the_subject():
    mail = parsing.ParsedMail(message_id="<m@x>", sender="a@b", sender_name="", subject="Re: [REQ0001003] 노트북",
                              text="", reply="", in_reply_to=["<INC0001001.outbox-4.2@desk>"],
                              references=["<INC0001001@desk>", "<other@gmail.com>"])
    assert parsing.ticket_numbers(mail, PREFIXES) == ["INC0001001", "REQ0001003"]
    mail.in_reply_to, mail.references, mail.subject = ["<CAF123@mail.gmail.com>"], [], "INC12 no"
    assert parsing.ticket_numbers(mail, PREFIXES) == []


def test_strip_reply_prefix():
    assert parsing.strip_reply_prefix("RE: Fwd: 답장: [INC0001001] 프린터") == "[INC0001001] 프린터"
