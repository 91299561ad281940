"""Threading headers of the mail the desk sends, so clients thread it and replies find their ticket.

Every notification about a ticket carries a Message-ID that names the ticket number and the outbox
delivery (`<INC0001234.outbox-17.5@host>`: stable across retries of one delivery, unique per
recipient) and answers the ticket's root id (`<INC0001234@host>`), so every mail about one ticket
sits in one thread. Mail in (mailin.parsing.ticket_numbers) reads the number back from the
In-Reply-To / References of a reply; whether the sender may see that ticket is checked there, so a
forged header gains nothing.
"""

from django.core.mail.utils import DNS_NAME


def root_id(number: str) -> str:
    return f"<{number}@{DNS_NAME}>"


def message_id(number: str, key: str, person_id) -> str:
    return f"<{number}.{key}.{person_id}@{DNS_NAME}>"


def headers(number: str | None, key: str, person_id) -> dict:
    """Message-ID, In-Reply-To and References of one notification about ticket `number`."""
    if not number:
        return {"Message-ID": f"<{key}.{person_id}@{DNS_NAME}>"}
    root = root_id(number)
    return {"Message-ID": message_id(number, key, person_id), "In-Reply-To": root, "References": root}
