"""What the incident page's information security panel shows (incidents/partials/_security.html)."""

from incidents import security
from incidents.security_forms import SecurityNotificationForm, SecurityRatingForm, SecurityUnflagForm


def panel_context(user, incident, forms=None):
    """What the detail page's security panel shows this user (incidents/partials/_security.html)."""
    forms = forms or {}
    # Membership is read only for a security incident: an ordinary page costs no query more.
    handler = incident.is_security and security.can_read_security_fields(user)
    context = {"can_flag": security.can_flag(user) and not incident.is_security,
               "can_handle": handler and security.can_handle(user), "handler": handler}
    if incident.is_security and handler:
        context.update({
            "notifications": list(incident.security_notifications.select_related("notified_by")
                                  .order_by("notified_at", "id")),
            "rating_form": forms.get("rate") or SecurityRatingForm(initial={
                "confidentiality_impact": incident.confidentiality_impact, "integrity_impact": incident.integrity_impact,
                "availability_impact": incident.availability_impact, "security_notes": incident.security_notes,
                "version": incident.version}),
            "unflag_form": forms.get("unflag") or SecurityUnflagForm(initial={"version": incident.version}),
            "notification_form": forms.get("notify") or SecurityNotificationForm(),
        })
    return context
