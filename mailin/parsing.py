"""Reading one RFC 5322 message into what the desk needs: plain Python, no database, no Django models.

The standard library's `email` package (policy.default) does the MIME work; BeautifulSoup turns
HTML-only mail into text and drops the quoted history mail clients wrap in it; mail-parser-reply
cuts quoted history and signatures out of plain text (Korean and English client headers). Korean
mail arrives as EUC-KR (really CP949, its superset, which Outlook labels ks_c_5601-1987) or
ISO-2022-KR; a charset that is unknown or lies falls back to UTF-8, then CP949, then UTF-8 with
replacement characters, so a body is never lost to its label.

Nothing here raises on bad input except `parse`, which raises MalformedMail (with a reason) only
when there is no message to speak of.
"""

from __future__ import annotations

import codecs
import email
import email.header
import email.utils
import io
import mimetypes
import re
import zipfile
from dataclasses import dataclass, field
from email import policy
from pathlib import PurePath

from bs4 import BeautifulSoup
from mailparser_reply import EmailReplyParser

# Labels Korean clients put on CP949 text: all decode as CP949 (a superset of EUC-KR).
CHARSET_ALIASES = {
    "euc-kr": "cp949", "euc_kr": "cp949", "ks_c_5601-1987": "cp949", "ks_c_5601": "cp949",
    "ksc5601": "cp949", "x-windows-949": "cp949", "windows-949": "cp949", "uhc": "cp949",
    "unicode-1-1-utf-7": "utf-7", "x-unknown": "utf-8", "unknown-8bit": "utf-8",
}
FALLBACK_CHARSETS = ("utf-8", "cp949")
REPLY_LANGUAGES = ["ko", "en"]
SUBJECT_LIMIT = 200
FILENAME_LIMIT = 200
AUTO_SUBJECT = re.compile(
    r"^\s*(automatic reply|auto(matic)?[- ]?reply|auto:|out of (the )?office|자동\s*회신|자동\s*응답|부재\s*중)",
    re.IGNORECASE,
)
FORWARD_SUBJECT = re.compile(r"^\s*(fwd?|fw|전달)\s*:", re.IGNORECASE)
REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|fw|aw|sv|답장|회신|전달)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
BOUNCE_SENDERS = ("mailer-daemon", "postmaster")
# What phones and webmail append below a reply.
SIGNOFF_LINES = re.compile(
    r"^\s*(sent from my .+|.+에서 보냄|get outlook for .+|보낸 사람의 .+에서 보냄)\s*$", re.IGNORECASE)
# Controls text never needs (NUL cannot even be stored by PostgreSQL).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# HTML elements mail clients wrap quoted history in (Gmail, Outlook, Apple Mail, Thunderbird, Yahoo, Naver).
HTML_QUOTES = ("blockquote", "div.gmail_quote", "div#divRplyFwdMsg", "div#appendonsend", "div.moz-cite-prefix",
               "div.yahoo_quoted", "div.OutlookMessageHeader", "div#mail_quote")


class MalformedMail(Exception):
    """Not a message one can read anything from; `reason` says why."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Part:
    """An attached file or inline image, decoded."""

    filename: str
    content_type: str
    data: bytes
    inline: bool = False


@dataclass
class ParsedMail:
    message_id: str
    sender: str  # the From address, lower case; "" when there is none
    sender_name: str
    subject: str
    text: str  # the whole body as text (HTML converted)
    reply: str  # the body without quoted history and signature
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    attachments: list[Part] = field(default_factory=list)
    auto_reason: str = ""  # why this is an automatic message that must not be answered; "" if it is not
    forwarded: bool = False
    html_only: bool = False
    defects: list[str] = field(default_factory=list)

    @property
    def thread_ids(self) -> list[str]:
        """Message-IDs this mail answers, nearest first."""
        return [*self.in_reply_to, *reversed(self.references)]


# --- text helpers ---------------------------------------------------------------------------

def clean_text(text: str) -> str:
    """Text safe to store: no control characters, no lone surrogates (undecodable bytes)."""
    text = CONTROL.sub("", text or "")
    return text.encode("utf-8", "replace").decode("utf-8")


def clean_line(text: str, limit: int) -> str:
    line = " ".join(clean_text(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes of a text part in their declared charset, else the usual suspects, never an error."""
    names = []
    if charset:
        charset = charset.strip().strip('"').lower()
        names.append(CHARSET_ALIASES.get(charset, charset))
    names += [name for name in FALLBACK_CHARSETS if name not in names]
    for name in names:
        try:
            codecs.lookup(name)
            return data.decode(name)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    return data.decode("utf-8", "replace")


def decode_words(value: str) -> str:
    """RFC 2047 encoded words (in a header or, as Korean clients send them, a file name)."""
    try:
        parts = email.header.decode_header(value)
    except Exception:  # noqa: BLE001 - a header is only ever advice
        return value
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes):
            out.append(decode_bytes(chunk, charset))
        else:
            out.append(chunk)
    return "".join(out)


def header(msg, name: str) -> str:
    """A header's decoded value; garbage in a header gives its raw text, never an exception."""
    try:
        value = msg.get(name)
        if value is None:
            return ""
        text = str(value)
    except Exception:  # noqa: BLE001 - the policy's parser refuses some garbage
        raw = [v for k, v in msg.raw_items() if k.lower() == name.lower()]
        text = decode_words(str(raw[0])) if raw else ""
    if "=?" in text:  # words the policy left encoded (an unknown charset): decode what we can
        text = decode_words(text)
    return text


def message_ids(value: str) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value or "")


def strip_reply_prefix(subject: str) -> str:
    return REPLY_PREFIX.sub("", subject or "")


# --- HTML ------------------------------------------------------------------------------------

def html_to_text(html: str, *, drop_quotes: bool = True) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "head", "title"]):
        tag.decompose()
    if drop_quotes:
        for selector in HTML_QUOTES:
            for tag in soup.select(selector):
                if tag.get("id") == "divRplyFwdMsg":  # Outlook: the header and everything after it
                    for sibling in list(tag.find_next_siblings()):
                        sibling.decompose()
                tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(["p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table"]):
        block.insert_after("\n")
    text = soup.get_text()
    lines = [line.strip() for line in text.replace("\xa0", " ").splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- reply text ------------------------------------------------------------------------------

# Quote headers the reply parser misses: Gmail in Korean ("…님이 작성:"), Outlook's separators.
QUOTE_HEADERS = re.compile(
    r"^\s*(>\s*)*(.*\d{4}년\s*\d{1,2}월\s*\d{1,2}일.*님이\s*작성(하였습니다|했습니다)?\s*:"
    r"|-{2,}\s*(original message|원본 메시지|원래 메시지)\s*-{2,}"
    r"|_{20,}"
    r"|on .{6,200} wrote:)\s*$", re.IGNORECASE)
SIGNATURE_DELIMITER = re.compile(r"^-- ?$")


def _cut(text: str) -> str:
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if QUOTE_HEADERS.match(line) or SIGNATURE_DELIMITER.match(line):
            return "\n".join(lines[:index])
    return text


def latest_reply(text: str) -> str:
    """The newest part of a reply: quoted history and the signature cut off."""
    try:
        reply = EmailReplyParser(languages=REPLY_LANGUAGES).parse_reply(text) or ""
    except Exception:  # noqa: BLE001 - a parser's bad day must not lose the mail
        reply = text
    reply = _cut(reply)
    lines = reply.rstrip().splitlines()
    while lines and lines[-1].lstrip().startswith(">"):  # a trailing quote without a header
        lines.pop()
    while lines and (not lines[-1].strip() or SIGNOFF_LINES.match(lines[-1])):
        lines.pop()
    reply = "\n".join(lines).strip()
    return reply or text.strip()


# --- MIME walk -------------------------------------------------------------------------------

def _is_attachment(part) -> bool:
    disposition = (part.get_content_disposition() or "").lower()
    if disposition == "attachment":
        return True
    if part.get_content_type() == "message/rfc822":
        return True
    if part.get_content_maintype() == "text" and part.get_content_subtype() in ("plain", "html"):
        return bool(_raw_filename(part))
    return True  # images, PDFs, anything that is not body text


def _raw_filename(part) -> str:
    try:
        name = part.get_filename() or part.get_param("name") or ""
    except Exception:  # noqa: BLE001
        name = ""
    if isinstance(name, tuple):  # an RFC 2231 value the policy did not collapse
        name = email.utils.collapse_rfc2231_value(name)
    return str(name)


def _filename(part, index: int) -> str:
    name = _raw_filename(part)
    if "=?" in name:
        name = decode_words(name)
    name = clean_line(PurePath(name.replace("\\", "/")).name, FILENAME_LIMIT) if name else ""
    if name:
        return name
    content_type = part.get_content_type()
    if content_type == "message/rfc822":
        return f"forwarded-{index}.eml"
    extension = mimetypes.guess_extension(content_type) or ".bin"
    stem = "image" if part.get_content_maintype() == "image" else "attachment"
    return f"{stem}-{index}{extension}"


def _part_bytes(part) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        try:
            return inner.as_bytes(policy=policy.default.clone(max_line_length=998))
        except Exception:  # noqa: BLE001
            return bytes(str(inner), "utf-8", "replace")
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _text_of(part) -> str:
    return decode_bytes(_part_bytes(part), part.get_content_charset())


def _walk(msg, plain, html, attachments):
    """Collect body parts and attachments in order, never descending into an attached message."""
    if msg.is_multipart():
        for sub in msg.get_payload() or []:
            if hasattr(sub, "get_content_type"):
                _walk(sub, plain, html, attachments)
        return
    if _is_attachment(msg):
        attachments.append(msg)
    elif msg.get_content_subtype() == "html":
        html.append(msg)
    else:
        plain.append(msg)


def parse(raw: bytes) -> ParsedMail:
    if not raw or not raw.strip():
        raise MalformedMail("empty message")
    try:
        msg = email.message_from_bytes(raw, policy=policy.default)
    except Exception as exc:  # noqa: BLE001
        raise MalformedMail(f"unreadable MIME structure: {exc}") from exc
    if not list(msg.keys()):
        raise MalformedMail("no headers")
    raw_values = raw_headers(msg)
    ids = message_ids(raw_values.get("message-id", ""))
    name, address = email.utils.parseaddr(header(msg, "From"))
    subject = clean_line(header(msg, "Subject"), SUBJECT_LIMIT)
    forwarded = bool(FORWARD_SUBJECT.match(subject))

    plain, html, attached = [], [], []
    try:
        _walk(msg, plain, html, attached)
    except Exception as exc:  # noqa: BLE001
        raise MalformedMail(f"unreadable MIME structure: {exc}") from exc
    if plain:
        text = "\n\n".join(_text_of(p).strip() for p in plain)
        reply_text = text
    elif html:
        sources = [_text_of(p) for p in html]
        text = "\n\n".join(html_to_text(s, drop_quotes=False) for s in sources)
        reply_text = "\n\n".join(html_to_text(s, drop_quotes=not forwarded) for s in sources)
    else:
        text = reply_text = ""
    text = clean_text(text.replace("\r\n", "\n")).strip()
    reply_text = clean_text(reply_text.replace("\r\n", "\n")).strip()
    reply = reply_text if forwarded else latest_reply(reply_text)

    attachments = []
    for index, part in enumerate(attached, start=1):
        attachments.append(Part(
            filename=_filename(part, index), content_type=part.get_content_type(), data=_part_bytes(part),
            inline=(part.get_content_disposition() or "") == "inline" or bool(part.get("Content-ID")),
        ))
    defects = [type(d).__name__ for d in getattr(msg, "defects", [])]
    return ParsedMail(
        message_id=ids[0] if ids else "", sender=clean_line(address, 254).lower(),
        sender_name=clean_line(name, 150), subject=subject, text=text, reply=reply,
        in_reply_to=message_ids(raw_values.get("in-reply-to", "")),
        references=message_ids(raw_values.get("references", "")),
        attachments=attachments, auto_reason=auto_reason(msg, address, subject, raw_values), forwarded=forwarded,
        html_only=not plain and bool(html), defects=defects,
    )


# --- loops -----------------------------------------------------------------------------------

def raw_headers(msg) -> dict:
    """Header name (lower case) -> its first raw value, unfolded: for the ASCII headers whose
    structure we do not need (the policy's parsing of every header costs more than the rest)."""
    found = {}
    for name, value in msg.raw_items():
        found.setdefault(name.lower(), " ".join(str(value).split()))
    return found


def auto_reason(msg, address: str, subject: str, raw: dict | None = None) -> str:
    """Why a message was sent by a machine and must be recorded but never answered (RFC 3834)."""
    raw = raw if raw is not None else raw_headers(msg)
    if msg.get_content_type() == "multipart/report":
        return "delivery status notification (multipart/report)"
    auto = raw.get("auto-submitted", "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = raw.get("precedence", "").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Reply"):
        if name.lower() in raw:
            return f"{name} header"
    if "x-auto-response-suppress" in raw and "x-ms-exchange-inbox-rules-loop" in raw:
        return "Exchange inbox rule"
    if "list-id" in raw or "list-unsubscribe" in raw:
        return "mailing-list or bulk mail (List-Id / List-Unsubscribe)"
    if raw.get("return-path", "").strip() == "<>":
        return "bounce (empty Return-Path)"
    local = (address or "").split("@", 1)[0].lower()
    if local in BOUNCE_SENDERS:
        return f"bounce from {local}"
    if AUTO_SUBJECT.match(subject or ""):
        return "automatic reply (subject)"
    return ""


# --- threading -------------------------------------------------------------------------------

def ticket_numbers(parsed: ParsedMail, prefixes) -> list[str]:
    """Ticket numbers this mail refers to, best evidence first: our Message-IDs it answers, then
    the number in its subject ("[INC0001234] ..." or "REQ0001002 ...")."""
    prefix = "|".join(sorted((re.escape(p) for p in prefixes if p), key=len, reverse=True))
    if not prefix:
        return []
    in_id = re.compile(rf"^<({prefix})(\d{{4,}})(?:\.[^@>]*)?@[^>]+>$")
    in_subject = re.compile(rf"(?<![A-Za-z0-9])({prefix})(\d{{4,}})(?!\d)")
    found = []
    for message_id in parsed.thread_ids:
        match = in_id.match(message_id)
        if match:
            found.append(match.group(1) + match.group(2))
    for match in in_subject.finditer(parsed.subject or ""):
        found.append(match.group(1) + match.group(2))
    return list(dict.fromkeys(found))


# --- archives --------------------------------------------------------------------------------

def zip_problem(data: bytes, *, max_total: int, max_ratio: int) -> str:
    """Why a zip must not be accepted, read from its directory only (nothing is decompressed)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        return f"not a readable zip archive ({exc})"
    total = sum(e.file_size for e in entries)
    packed = max(1, sum(e.compress_size for e in entries))
    nested = sum(1 for e in entries if e.filename.lower().endswith((".zip", ".gz", ".7z", ".rar", ".bz2", ".xz")))
    if total > max_total:
        return f"expands to {total} bytes (limit {max_total}): a zip bomb"
    if total > 1024 * 1024 and total / packed > max_ratio:
        return f"compression ratio {total // packed}:1 (limit {max_ratio}:1): a zip bomb"
    if nested and nested == len(entries) and nested >= 10:
        return f"holds only nested archives ({nested}): a zip bomb's shape"
    return ""
