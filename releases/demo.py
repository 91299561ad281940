"""Demo data for release management; called by `manage.py seed_demo` in dependency order.

Releases in every state, each bundling a few changes, with deployments through the
environments; created through the services so that they are audited like real work.
Idempotent: releases are only added up to the requested count.
"""

from datetime import timedelta

from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from changes.choices import AUTHORISED_STATES
from changes.models import Change
from core import demo
from core.choices import Channel
from core.demo import say
from core.exceptions import DomainError
from releases import services
from releases.choices import DeploymentState as D, Environment as E, ReleaseState as S

SYSTEM = Channel.SYSTEM
PRODUCTS = ["Online Banking", "Payroll", "Customer Portal", "ERP Finance", "HR Self-Service", "Mobile App Backend",
            "Data Warehouse", "CRM"]
demo.korean({
    "Quarterly feature and fix release of {product}.": "{product} 분기 기능 개선 및 오류 수정 릴리스입니다.",
    "Regression suite: 412 passed, 0 failed.": "회귀 테스트: 412건 통과, 0건 실패.",
})
TARGETS = [S.PLANNED, S.BUILD, S.TEST, S.DEPLOY, S.CLOSED, S.CLOSED, S.ROLLED_BACK, S.DEPLOY]


def _walk(release, target, actor):
    def move(state, reason=""):
        nonlocal release
        release = services.transition_release(release, actor=actor, channel=SYSTEM, target=state, reason=reason)

    def step(env, state, notes=""):
        services.set_deployment_state(release, actor=actor, channel=SYSTEM, environment=env, target=state, notes=notes)

    if target == S.PLANNED:
        return release
    move(S.BUILD)
    step(E.DEVELOPMENT, D.IN_PROGRESS)
    step(E.DEVELOPMENT, D.SUCCEEDED)
    if target == S.BUILD:
        return release
    move(S.TEST)
    step(E.TEST, D.IN_PROGRESS)
    step(E.TEST, D.SUCCEEDED)
    if target == S.TEST:
        return release
    move(S.DEPLOY)
    step(E.STAGING, D.IN_PROGRESS)
    step(E.STAGING, D.SUCCEEDED)
    if target == S.DEPLOY:
        step(E.PRODUCTION, D.PLANNED)
        return release
    step(E.PRODUCTION, D.IN_PROGRESS)
    if target == S.ROLLED_BACK:
        step(E.PRODUCTION, D.FAILED, "Smoke tests failed after the switch-over")
        step(E.PRODUCTION, D.ROLLED_BACK, "Login errors for SSO users; previous version restored")
        return release
    step(E.PRODUCTION, D.SUCCEEDED)
    move(S.CLOSED)
    return release


def seed(ctx):
    """Create this module's demo records. Must be idempotent (safe to run twice)."""
    from releases.models import Release

    wanted = ctx.counts.get("releases", 8)
    missing = wanted - Release.objects.count()
    if missing <= 0:
        ctx.log(f"  releases: {Release.objects.count()} already")
        return
    rng, now = ctx.rng, ctx.now
    actor = (ctx.shared.get("agents") or [None])[0] or User.objects.filter(groups__name=Role.AGENT).first()
    if actor is None:
        ctx.log("  releases: no agent, skipped")
        return
    teams = list(ctx.shared.get("teams") or [])
    authorised = list(Change.objects.filter(state__in=AUTHORISED_STATES).order_by("-pk")
                      .values_list("pk", flat=True)[:2000])
    pending = list(Change.objects.exclude(state__in=AUTHORISED_STATES).order_by("-pk").values_list("pk", flat=True)[:500])
    start_index = Release.objects.count()
    for offset in range(missing):
        index = start_index + offset
        target = TARGETS[index % len(TARGETS)]
        product = say(PRODUCTS[index % len(PRODUCTS)])
        version = f"2026.{index // len(PRODUCTS) + 1}.{index % 3}"
        changes = rng.sample(authorised, min(len(authorised), rng.randint(1, 4)))
        if target in (S.PLANNED, S.BUILD) and pending:
            changes.append(rng.choice(pending))  # not yet ready: shows the readiness check failing
        try:
            with transaction.atomic():
                release = services.create_release(
                    actor=actor, channel=SYSTEM, changes=changes, title=f"{product} {version}", version_label=version,
                    description=say("Quarterly feature and fix release of {product}.").format(product=product),
                    planned_date=now + timedelta(days=rng.randint(-30, 60), hours=rng.randint(0, 12)),
                    assignment_group=teams[index % len(teams)] if teams else None,
                    test_summary="" if target in (S.PLANNED, S.BUILD) else say("Regression suite: 412 passed, 0 failed."),
                    tests_passed=target not in (S.PLANNED, S.BUILD),
                )
                _walk(release, target, actor)
        except DomainError as exc:
            ctx.log(f"  releases: skipped one ({exc.message})")
    ctx.log(f"  releases: {Release.objects.count()}")
