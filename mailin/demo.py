"""Demo mail in: two mailboxes (IMAP polling off: piped mail only) and a handful of messages
received in Korean and English, ingested through the real use case so the log shows each state.
Idempotent: the Message-IDs are fixed, so a second run records nothing new."""

from email.message import EmailMessage
from email.utils import format_datetime

from django.utils import timezone

from accounts.models import Team
from mailin import services
from mailin.choices import OpensKind, UnknownSenders
from mailin.models import Mailbox


def _mail(msgid, sender, subject, body, *, headers=None, charset="utf-8"):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "helpdesk@demo.example", subject
    msg["Message-ID"] = f"<{msgid}@demo.example>"
    msg["Date"] = format_datetime(timezone.now())
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body, charset=charset)
    return msg.as_bytes()


def seed(ctx):
    team = (ctx.shared.get("teams") or [None])[0] or Team.objects.order_by("pk").first()
    helpdesk, _created = Mailbox.objects.get_or_create(name="helpdesk", defaults={
        "address": "helpdesk@demo.example", "opens": OpensKind.INCIDENT, "default_group": team,
        "unknown_senders": UnknownSenders.CREATE, "imap_host": "imap.demo.example", "imap_user": "helpdesk",
        "active": False})
    Mailbox.objects.get_or_create(name="security", defaults={
        "address": "security@demo.example", "opens": OpensKind.INCIDENT, "default_group": team,
        "unknown_senders": UnknownSenders.REFUSE, "active": False})
    end_users = list(ctx.shared.get("end_users") or [])
    known = next((u for u in end_users if u.email), None)
    messages = [
        _mail("demo-mail-ko-1", "김민지 <minji.kim@citizen.demo.example>", "민원 시스템 로그인이 안 됩니다",
              "안녕하세요.\n\n오늘 아침부터 민원 시스템에 로그인하면 '세션 만료' 오류가 납니다.\n확인 부탁드립니다.\n\n"
              "김민지 드림", charset="euc-kr"),
        _mail("demo-mail-en-1", "Alex Park <alex.park@partner.demo.example>", "Printer on 3rd floor is jammed",
              "Hello,\n\nThe printer next to the meeting room on the 3rd floor keeps jamming.\n\nThanks,\nAlex"),
        _mail("demo-mail-ooo", "Alex Park <alex.park@partner.demo.example>", "Automatic reply: Printer",
              "I am out of the office until Monday.", headers={"Auto-Submitted": "auto-replied"}),
        _mail("demo-mail-bulk", "News <news@vendor.demo.example>", "이번 달 신제품 소식",
              "뉴스레터입니다.", headers={"Precedence": "bulk"}),
    ]
    if known is not None:
        messages.append(_mail("demo-mail-known", f"{known} <{known.email}>", "VPN이 자주 끊깁니다",
                              "재택근무 중 VPN 연결이 10분마다 끊어집니다."))
    made = 0
    for raw in messages:
        outcome = services.ingest(raw, mailbox=helpdesk)
        made += not outcome.duplicate
    security = Mailbox.objects.get(name="security")
    outcome = services.ingest(_mail("demo-mail-refused", "stranger@elsewhere.demo.example", "Suspicious link",
                                    "Is this link safe?"), mailbox=security)
    made += not outcome.duplicate
    ctx.log(f"  mailin: 2 mailboxes, {made} messages received")
