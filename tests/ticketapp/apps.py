from django.apps import AppConfig


class TicketAppConfig(AppConfig):
    name = "tests.ticketapp"
    label = "ticketapp"
    verbose_name = "Test tickets"
    default_auto_field = "django.db.models.BigAutoField"
