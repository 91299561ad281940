"""Create tickets from a separate process: `python -m tests.ticketapp.bulk_create USER_ID COUNT`.

Used by the numbering test to race several processes against one PostgreSQL database; the
environment (DJANGO_SETTINGS_MODULE, DATABASE_URL) names the database.
"""

import sys


def main(user_id, count):
    import django

    django.setup()
    from accounts.models import User
    from core.choices import Channel
    from core.services import create_ticket
    from tests.ticketapp.models import CaseTicket

    actor = User.objects.get(pk=user_id)
    for index in range(count):
        ticket = create_ticket(CaseTicket, actor=actor, channel=Channel.API, title=f"process ticket {index}")
        print(ticket.number, flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
