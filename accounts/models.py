import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles


class Organisation(models.Model):
    """A department or customer that end users belong to; SLAs and reports are per organisation."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Seoul")

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class User(AbstractUser):
    """Anyone who signs in: end users (requesters), agents, managers and administrators."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="users",
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The line manager: approves what the person orders from the catalog when an item says so.
    manager = models.ForeignKey(
        "self", verbose_name=_("line manager"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="reports",
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    # Notification kinds the user has switched off, e.g. ["commented"]; empty means all on.
    muted_notifications = models.JSONField(_("muted notifications"), default=list, blank=True)
    # A time-boxed account (an auditor's): from the day after, neither the sign-in form nor a
    # token nor an open session lets it in (accounts.forms, .authentication, .middleware).
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True,
        help_text=_("The last day this account may sign in; empty for no limit."),
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        if not self.display_name:
            self.display_name = self.get_full_name() or self.username
        super().save(*args, **kwargs)

    @property
    def roles(self):
        return sorted(roles.role_names(self))

    def wants_notification(self, kind: str) -> bool:
        return bool(self.email) and kind not in (self.muted_notifications or [])

    def has_expired(self, today=None) -> bool:
        """Past its last valid day (in the site's time zone)."""
        return self.valid_until is not None and self.valid_until < (today or timezone.localdate())


class Team(models.Model):
    """An assignment group: the team a ticket is routed to, with members and a manager."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("manager"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="managed_teams",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="teams"
    )
    # ISO/IEC 20000-1 8.7.3: the members of a security team (and nobody else on the desk, see
    # incidents.security) see information security incidents.
    is_security = models.BooleanField(
        _("information security team"), default=False,
        help_text=_("Members see and handle information security incidents; other agents do not."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("assignment group")
        verbose_name_plural = _("assignment groups")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts:team_detail", args=[self.pk])


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API key for integrators. Only its SHA-256 digest is stored."""

    KEY_BYTES = 30

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name=""):
        """Create a token; the plain key is returned once and never stored."""
        key = secrets.token_hex(cls.KEY_BYTES)
        token = cls.objects.create(user=user, name=name, prefix=key[:8], digest=cls.hash_key(key))
        return token, key


class AccessLog(models.Model):
    """One request by an auditor (issue 18): who, when, what, and the answer. Append-only
    evidence that the certification audit read what it says it read, and wrote nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
                             related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    query = models.CharField(_("query"), max_length=500, blank=True)
    # The record the URL names, when it names one (`app.model` and its id).
    object_type = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    status = models.PositiveSmallIntegerField(_("status"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["user", "-at"], name="accesslog_user_idx"),
                   models.Index(fields=["-at"], name="accesslog_at_idx")]

    def __str__(self):
        return f"{self.user} {self.method} {self.path} {self.status}"
