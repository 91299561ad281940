"""The one family of domain refusals. Views turn them into form errors, the API into 4xx."""

from django.utils.translation import gettext as _


class DomainError(Exception):
    """A rule refused the operation. `field` names the input at fault, if one is."""

    status_code = 400

    def __init__(self, message, *, field=None, code="invalid"):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code

    def as_dict(self):
        return {self.field or "detail": [str(self.message)] if self.field else str(self.message)}


class InvalidTransition(DomainError):
    def __init__(self, current, target, allowed, *, label=None):
        allowed = list(allowed)
        names = ", ".join(str(a) for a in allowed) or _("none")
        message = _("Cannot move from %(current)s to %(target)s. Allowed: %(allowed)s.") % {
            "current": current, "target": target, "allowed": names,
        }
        super().__init__(message, field="state", code="invalid_transition")
        self.allowed = allowed


class StaleVersion(DomainError):
    status_code = 409

    def __init__(self, current_version):
        super().__init__(
            _(
                "This record was changed by someone else (now at version %(version)s). "
                "Reload it and apply your change again."
            ) % {"version": current_version},
            field=None,
            code="stale_version",
        )
        self.current_version = current_version


class PermissionRefused(DomainError):
    status_code = 403

    def __init__(self, message):
        super().__init__(message, code="permission_denied")
