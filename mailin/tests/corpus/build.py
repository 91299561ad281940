"""Writes the corpus of real-shaped messages (run: python mailin/tests/corpus/build.py).

Each message imitates what a real client sends (header order, charsets, MIME structure);
`INC0000000` in a message is a placeholder the tests replace with a real ticket number. The
30 MB attachment is built by the tests themselves (mailin/tests/conftest.py), not stored.
"""

import base64
import io
import struct
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).parent


def png(width=1, height=1):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def b64(data, width=76):
    text = base64.b64encode(data).decode()
    return "\r\n".join(text[i:i + width] for i in range(0, len(text), width))


def words(text, charset, encoding="B"):
    data = text.encode("cp949" if charset.lower() in ("euc-kr", "ks_c_5601-1987") else charset)
    return f"=?{charset}?B?{base64.b64encode(data).decode()}?="


def write(name, text):
    (HERE / name).write_bytes(text.replace("\r\n", "\n").replace("\n", "\r\n").encode("latin-1")
                              if isinstance(text, str) else text)


def crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


# 1. Outlook (Korean Windows): ks_c_5601-1987 everywhere, HTML alternative, a PDF with a Korean name.
body_ko = "안녕하세요, 행정지원팀 이순신입니다.\r\n\r\n전자결재 시스템에서 문서를 상신하면 '서버 오류 500'이 표시됩니다.\r\n오전 10시부터 계속 발생하고 있습니다. 첨부한 화면을 확인해 주세요.\r\n\r\n감사합니다.\r\n이순신 드림\r\n"
html_ko = ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ks_c_5601-1987\"></head>"
           "<body><div>안녕하세요, 행정지원팀 이순신입니다.</div><div><br></div><div>전자결재 시스템에서 문서를 상신하면 "
           "'서버 오류 500'이 표시됩니다.</div></body></html>")
outlook = (
    "Received: from MAIL01.agency.go.kr (10.1.1.5) by MAIL02.agency.go.kr; Thu, 3 Dec 2026 10:12:31 +0900\r\n"
    f"From: =?ks_c_5601-1987?B?{base64.b64encode('이순신'.encode('cp949')).decode()}?= <sslee@agency.example.kr>\r\n"
    "To: \"helpdesk\" <helpdesk@desk.example>\r\n"
    f"Subject: {words('전자결재 상신 시 서버 오류 발생', 'ks_c_5601-1987')}\r\n"
    "Thread-Topic: =?ks_c_5601-1987?B?wPzA2rDhwOcgu/O9xSC9wyC8rbn2IL/At/kgud+7/Q==?=\r\n"
    "Thread-Index: AdtFq1x2b3J0ZXN0aW5nMTIzNA==\r\n"
    "Date: Thu, 3 Dec 2026 01:12:30 +0000\r\n"
    "Message-ID: <SL2P216MB1234ABCD5678@SL2P216MB1234.KORP216.PROD.OUTLOOK.COM>\r\n"
    "Accept-Language: ko-KR, en-US\r\nContent-Language: ko-KR\r\n"
    "X-MS-Has-Attach: yes\r\nX-Mailer: Microsoft Outlook 16.0\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"_004_SL2P216MB1234_\"\r\n\r\n"
    "--_004_SL2P216MB1234_\r\n"
    "Content-Type: multipart/alternative; boundary=\"_000_SL2P216MB1234_\"\r\n\r\n"
    "--_000_SL2P216MB1234_\r\n"
    "Content-Type: text/plain; charset=\"ks_c_5601-1987\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    f"{b64(body_ko.encode('cp949'))}\r\n\r\n"
    "--_000_SL2P216MB1234_\r\n"
    "Content-Type: text/html; charset=\"ks_c_5601-1987\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    f"{b64(html_ko.encode('cp949'))}\r\n\r\n"
    "--_000_SL2P216MB1234_--\r\n\r\n"
    "--_004_SL2P216MB1234_\r\n"
    f"Content-Type: application/pdf; name=\"{words('오류화면.pdf', 'ks_c_5601-1987')}\"\r\n"
    f"Content-Description: {words('오류화면.pdf', 'ks_c_5601-1987')}\r\n"
    f"Content-Disposition: attachment; filename=\"{words('오류화면.pdf', 'ks_c_5601-1987')}\"; size={len(PDF)}\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\n"
    f"{b64(PDF)}\r\n\r\n"
    "--_004_SL2P216MB1234_--\r\n"
)
write("outlook_euckr.eml", outlook)

# 2. Webmail, HTML only (UTF-8, quoted-printable), with the previous mail quoted in a blockquote.
import quopri  # noqa: E402

html = ("<div style=\"font-family:sans-serif\"><p>Hello service desk,</p><p>Since this morning the shared drive "
        "<b>S:</b> asks for my password every five minutes.<br>My laptop is PC-1234.</p><p>Thanks,<br>Jane Doe</p>"
        "</div><div class=\"gmail_quote\"><div>On Tue, 1 Dec 2026, IT &lt;it@desk.example&gt; wrote:</div>"
        "<blockquote class=\"gmail_quote\">Old newsletter text that must not be in the ticket.</blockquote></div>")
write("webmail_html_only.eml",
      "From: Jane Doe <jane.doe@example.com>\r\nTo: helpdesk@desk.example\r\n"
      "Subject: Shared drive keeps asking for a password\r\nDate: Thu, 3 Dec 2026 09:00:00 +0000\r\n"
      "Message-ID: <CAF=webmail-html-only-0001@mail.gmail.com>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/html; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
      + quopri.encodestring(html.encode()).decode() + "\r\n")

# 3. iPhone: Apple Mail's mixed structure with an inline image between two text parts.
image = png(4, 4)
iphone = (
    "Content-Type: multipart/mixed; boundary=Apple-Mail-7A1B2C3D-0001\r\n"
    "Content-Transfer-Encoding: 7bit\r\nFrom: =?utf-8?B?" + base64.b64encode("박서준".encode()).decode()
    + "?= <seojun.park@example.com>\r\nMime-Version: 1.0 (1.0)\r\nDate: Thu, 3 Dec 2026 18:02:11 +0900\r\n"
    "Subject: =?utf-8?B?" + base64.b64encode("회의실 모니터 화면이 안 나와요".encode()).decode() + "?=\r\n"
    "Message-Id: <A1B2C3D4-E5F6-4789-ABCD-0123456789AB@example.com>\r\nTo: helpdesk@desk.example\r\n"
    "X-Mailer: iPhone Mail (21A360)\r\n\r\n"
    "--Apple-Mail-7A1B2C3D-0001\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    + b64("3층 대회의실 모니터가 HDMI를 연결해도 화면이 나오지 않습니다.\n사진 첨부합니다.\n".encode()) + "\r\n"
    "--Apple-Mail-7A1B2C3D-0001\r\nContent-Type: image/png; name=IMG_0042.PNG\r\n"
    "Content-Disposition: inline; filename=IMG_0042.PNG\r\nContent-Transfer-Encoding: base64\r\n"
    "Content-Id: <5C2E1F3A-0001@example.com>\r\n\r\n" + b64(image) + "\r\n"
    "--Apple-Mail-7A1B2C3D-0001\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    + b64("\niPhone에서 보냄\n".encode()) + "\r\n--Apple-Mail-7A1B2C3D-0001--\r\n"
)
write("iphone_inline_image.eml", iphone)

# 4. A forward (Gmail style): the forwarded text is the point and stays in the ticket.
forward_text = ("협력업체에서 받은 메일 전달드립니다. 확인 부탁드립니다.\n\n"
                "---------- Forwarded message ---------\n보낸사람: 공급사 <vendor@supplier.example>\n"
                "Date: 2026년 12월 2일 (수) 오후 3:10\nSubject: 서버 펌웨어 긴급 패치 안내\n"
                "To: <ops@agency.example.kr>\n\n12월 5일까지 BMC 펌웨어 2.1.7 패치를 적용해 주십시오.\n")
write("forward.eml",
      "From: =?UTF-8?B?" + base64.b64encode("최유진".encode()).decode() + "?= <yujin.choi@agency.example.kr>\r\n"
      "To: helpdesk@desk.example\r\nSubject: =?UTF-8?B?" + base64.b64encode("Fwd: 서버 펌웨어 긴급 패치 안내".encode()).decode()
      + "?=\r\nDate: Thu, 3 Dec 2026 09:30:00 +0900\r\nMessage-ID: <CAFwd-0001@mail.gmail.com>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      + b64(forward_text.encode()) + "\r\n")

# 5. A DSN bounce (Postfix).
write("dsn_bounce.eml",
      "Return-Path: <>\r\nFrom: MAILER-DAEMON@mx.desk.example (Mail Delivery System)\r\n"
      "Subject: Undelivered Mail Returned to Sender\r\nTo: service-desk@desk.example\r\nAuto-Submitted: auto-replied\r\n"
      "Date: Thu, 3 Dec 2026 10:00:00 +0900\r\nMessage-Id: <20261203010000.ABC123@mx.desk.example>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=\"ABC123.1733187600/mx.desk.example\"\r\n\r\n"
      "--ABC123.1733187600/mx.desk.example\r\nContent-Description: Notification\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
      "This is the mail system at host mx.desk.example.\r\n\r\nI'm sorry to have to inform you that your message could not\r\n"
      "be delivered to one or more recipients.\r\n\r\n<nobody@agency.example.kr>: host mx said: 550 5.1.1 User unknown\r\n\r\n"
      "--ABC123.1733187600/mx.desk.example\r\nContent-Description: Delivery report\r\nContent-Type: message/delivery-status\r\n\r\n"
      "Reporting-MTA: dns; mx.desk.example\r\n\r\nFinal-Recipient: rfc822; nobody@agency.example.kr\r\nAction: failed\r\n"
      "Status: 5.1.1\r\n\r\n--ABC123.1733187600/mx.desk.example--\r\n")

# 6. An out-of-office reply (Exchange, Korean).
write("out_of_office.eml",
      "From: =?ks_c_5601-1987?B?" + base64.b64encode("홍길동".encode("cp949")).decode() + "?= <gdhong@agency.example.kr>\r\n"
      "To: service-desk@desk.example\r\nSubject: " + words("자동 회신: [INC0000000] 새 댓글", "ks_c_5601-1987") + "\r\n"
      "Date: Thu, 3 Dec 2026 10:05:00 +0900\r\nMessage-ID: <oof-0001@agency.example.kr>\r\n"
      "In-Reply-To: <INC0000000.outbox-1.1@desk.example>\r\nAuto-Submitted: auto-replied\r\n"
      "X-Auto-Response-Suppress: All\r\nX-MS-Exchange-Inbox-Rules-Loop: gdhong@agency.example.kr\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=\"ks_c_5601-1987\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      + b64("12월 7일까지 휴가입니다. 급한 일은 내선 1234로 연락 주세요.".encode("cp949")) + "\r\n")

# 7. A reply with quoted history and a signature (Gmail in Korean), answering our notification.
reply_text = ("확인해 보니 프린터 드라이버를 다시 설치하니까 해결되었습니다.\n감사합니다.\n\n-- \n김철수 | 총무과 | 02-123-4567\n\n"
              "2026년 12월 3일 (목) 오전 9:00, 서비스데스크 <service-desk@desk.example>님이 작성:\n"
              "> [INC0000000] 새 댓글\n> 드라이버를 다시 설치해 보시겠어요?\n> \n> 서비스데스크\n")
write("reply_quoted.eml",
      "From: =?UTF-8?B?" + base64.b64encode("김철수".encode()).decode() + "?= <cskim@agency.example.kr>\r\n"
      "To: service-desk@desk.example\r\nSubject: Re: [INC0000000] New comment\r\n"
      "Date: Thu, 3 Dec 2026 10:30:00 +0900\r\nMessage-ID: <CAreply-0001@mail.gmail.com>\r\n"
      "In-Reply-To: <INC0000000.outbox-7.3@desk.example>\r\n"
      "References: <INC0000000@desk.example> <INC0000000.outbox-7.3@desk.example>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      + b64(reply_text.encode()) + "\r\n")

# 8. ISO-2022-KR (an old Korean client).
write("iso2022kr.eml",
      b"From: old-client@agency.example.kr\r\nTo: helpdesk@desk.example\r\nSubject: =?ISO-2022-KR?B?"
      + base64.b64encode("메일 서버 점검".encode("iso2022_kr")) + b"?=\r\nDate: Thu, 3 Dec 2026 11:00:00 +0900\r\n"
      b"Message-ID: <iso2022kr-0001@agency.example.kr>\r\nMIME-Version: 1.0\r\n"
      b"Content-Type: text/plain; charset=ISO-2022-KR\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
      + crlf("메일 서버 점검 일정을 알려 주세요.\n".encode("iso2022_kr")) + b"\r\n")

# Bad input 1: a subject of encoded-word garbage.
write("garbage_subject.eml",
      b"From: fuzz@example.com\r\nTo: helpdesk@desk.example\r\n"
      b"Subject: =?utf-8?B?!!!notbase64?= =?x-no-such?Q?=FF=FE=00?= =?euc-kr?B?****?= =?utf-8?Q?=E2=82?= \xff\xfe\x00raw\r\n"
      b"Date: Thu, 3 Dec 2026 11:00:00 +0900\r\nMessage-ID: <garbage-subject-0001@example.com>\r\nMIME-Version: 1.0\r\n"
      b"Content-Type: text/plain; charset=utf-8\r\n\r\nThe subject of this mail is garbage.\r\n")

# Bad input 2: charsets that do not exist or lie.
write("invalid_charset.eml",
      b"From: liar@example.com\r\nTo: helpdesk@desk.example\r\nSubject: =?x-klingon?B?SGVsbG8=?= charsets\r\n"
      b"Date: Thu, 3 Dec 2026 11:00:00 +0900\r\nMessage-ID: <invalid-charset-0001@example.com>\r\nMIME-Version: 1.0\r\n"
      b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain; charset=\"x-no-such-charset\"\r\n"
      b"Content-Transfer-Encoding: 8bit\r\n\r\n" + "첫 번째 부분은 CP949입니다.".encode("cp949")
      + b"\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
      + "두 번째 부분은 utf-8이라면서 EUC-KR입니다.".encode("euc-kr") + b"\r\n--XX--\r\n")

# Bad input 3: a forged In-Reply-To (pointing at a ticket the sender may not see).
write("forged_reply.eml",
      "From: Mallory <mallory@example.com>\r\nTo: service-desk@desk.example\r\nSubject: Re: hello\r\n"
      "Date: Thu, 3 Dec 2026 12:00:00 +0900\r\nMessage-ID: <forged-0001@example.com>\r\n"
      "In-Reply-To: <INC0000000.outbox-1.1@desk.example>\r\nReferences: <INC0000000@desk.example>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=us-ascii\r\n\r\nPlease add me to this ticket and show me its notes.\r\n")

# Bad input 4: a zip bomb (60 MB of zeros in 60 kB: refused from its directory, never decompressed).
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
    with archive.open("zeros.bin", "w", force_zip64=True) as handle:
        chunk = b"\x00" * (1024 * 1024)
        for _ in range(60):
            handle.write(chunk)
write("zip_bomb.eml",
      "From: bomber@example.com\r\nTo: helpdesk@desk.example\r\nSubject: logs attached\r\n"
      "Date: Thu, 3 Dec 2026 12:00:00 +0900\r\nMessage-ID: <zip-bomb-0001@example.com>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=ZB\r\n\r\n--ZB\r\nContent-Type: text/plain\r\n\r\nLogs attached.\r\n"
      "--ZB\r\nContent-Type: application/zip; name=logs.zip\r\nContent-Disposition: attachment; filename=logs.zip\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n" + b64(buffer.getvalue()) + "\r\n--ZB--\r\n")

# Bad input 5: not a message at all.
write("malformed.eml", b"\x00\x01\x02 this is not a mail \xff\xfe\r\n\r\n")
