"""Demo data for change management; called by `manage.py seed_demo` in dependency order.

Configuration first (standard change templates, the CAB and emergency CAB, approval
policies per type and risk, freeze windows), then changes in every state. Small sizes walk
each change through the services (validated, approved and audited like real work); large
sizes (benchmarks: 10,000 changes) are bulk-created, mostly scheduled, with their impacted
business services stamped from the CMDB graph in a few set-based queries.
Idempotent: configuration is get-or-create, and changes are only added up to the count.
"""

from datetime import timedelta

from django.db import transaction

from accounts.models import Team, User
from accounts.roles import Role
from changes import approvals as approval_rules, conflicts, services
from changes.choices import ApprovalMode, ChangeState as S, ChangeType as T, Outcome, Risk
from changes.models import ApprovalPolicy, ApprovalStage, Change, ChangeTemplate, FreezeWindow
from cmdb.models import ConfigurationItem
from core import demo
from core.choices import Channel
from core.demo import say
from core.exceptions import DomainError
from core.models import NumberSequence

SYSTEM = Channel.SYSTEM
BULK_THRESHOLD = 300

TEMPLATES = [
    ("Restart an application server", "Rolling restart of one node behind the load balancer.",
     "1. Drain node from the pool\n2. Restart service\n3. Return node to the pool",
     "Keep node drained; restart the previous release", "Health check endpoint answers 200"),
    ("Apply monthly OS security patches", "Vendor patches on a non-clustered VM in its maintenance window.",
     "1. Snapshot VM\n2. Apply patches\n3. Reboot", "Revert to the snapshot", "Service checks and login test"),
    ("Add a firewall rule from the approved catalogue", "Catalogue rules only (ports 443/8443 between zones).",
     "1. Add rule in the staging policy\n2. Push policy", "Remove the rule and push", "Connectivity test from source"),
    ("Renew a TLS certificate", "Replace an expiring certificate with one from the internal CA.",
     "1. Install new certificate\n2. Reload web server", "Reinstall the old certificate", "Check expiry date in browser"),
]

TITLES = ["Upgrade {ci} to the vendor's LTS release", "Migrate {ci} to new storage array", "Patch {ci} kernel",
          "Increase memory on {ci}", "Rotate credentials used by {ci}", "Reconfigure backups of {ci}",
          "Move {ci} to the new network segment", "Enable TLS 1.3 on {ci}", "Decommission old replica of {ci}",
          "Tune connection pool of {ci}"]
PLANS = {"implementation_plan": "1. Announce start in #ops\n2. Apply the change per runbook\n3. Verify and announce end",
         "backout_plan": "Restore the pre-change snapshot and configuration backup; announce rollback.",
         "test_plan": "Run the service's smoke tests and check monitoring for 30 minutes."}


demo.korean({
    "Restart an application server": "애플리케이션 서버 재시작",
    "Rolling restart of one node behind the load balancer.": "부하 분산기 뒤의 노드 하나를 순차 재시작합니다.",
    "Apply monthly OS security patches": "월간 OS 보안 패치 적용",
    "Vendor patches on a non-clustered VM in its maintenance window.": "유지보수 시간에 비클러스터 VM에 제조사 패치를 적용합니다.",
    "Add a firewall rule from the approved catalogue": "승인된 목록의 방화벽 규칙 추가",
    "Catalogue rules only (ports 443/8443 between zones).": "목록에 있는 규칙만 (영역 간 443/8443 포트).",
    "Renew a TLS certificate": "TLS 인증서 갱신",
    "Replace an expiring certificate with one from the internal CA.": "만료 예정 인증서를 내부 CA 인증서로 교체합니다.",
    "Change Advisory Board": "변경 자문 위원회(CAB)",
    "Authorises normal changes of moderate and high risk.": "중간·높은 위험도의 일반 변경을 승인합니다.",
    "Emergency CAB": "긴급 CAB",
    "Small board that authorises emergency changes at short notice.": "긴급 변경을 신속히 승인하는 소규모 위원회입니다.",
    "Normal, low risk: change manager": "일반 변경, 낮은 위험: 변경 관리자",
    "Normal, moderate risk: CAB quorum": "일반 변경, 중간 위험: CAB 정족수",
    "Normal, high risk: owner then full CAB": "일반 변경, 높은 위험: 변경 관리자 후 전체 CAB",
    "Emergency: ECAB": "긴급 변경: ECAB",
    "Change manager": "변경 관리자", "CAB quorum": "CAB 정족수", "Full CAB": "전체 CAB",
    "Year-end financial close": "연말 결산",
    "No changes to finance systems while the books close.": "결산 기간에는 재무 시스템을 변경하지 않습니다.",
    "Customer portal launch": "고객 포털 출시", "Marketing launch week.": "마케팅 출시 주간입니다.",
})


def _team(name, description, members, manager=None):
    name, description = say(name), say(description)
    team, _created = Team.objects.get_or_create(name=name, defaults={"description": description})
    team.members.add(*members)
    if manager and team.manager_id is None:
        team.manager = manager
        team.save(update_fields=["manager"])
    return team


def _configuration(ctx):
    managers = list(User.objects.filter(groups__name=Role.MANAGER).order_by("pk"))
    admin = ctx.shared.get("admin") or User.objects.filter(groups__name=Role.ADMIN).first()
    cab_members = [m for m in managers if m][:4] + ([admin] if admin else [])
    cab = _team("Change Advisory Board", "Authorises normal changes of moderate and high risk.", cab_members,
                managers[0] if managers else None)
    ecab = _team("Emergency CAB", "Small board that authorises emergency changes at short notice.",
                 cab_members[:2], managers[0] if managers else None)
    teams = list(ctx.shared.get("teams") or Team.objects.exclude(pk__in=[cab.pk, ecab.pk])[:6])
    for name, description, impl, backout, test in TEMPLATES:
        ChangeTemplate.objects.get_or_create(name=say(name), defaults={
            "description": say(description), "implementation_plan": impl, "backout_plan": backout, "test_plan": test,
            "risk": Risk.LOW, "assignment_group": teams[len(name) % len(teams)] if teams else None})
    policies = [
        ("Normal, low risk: change manager", T.NORMAL, Risk.LOW, [("Change manager", cab, ApprovalMode.ANY, None)]),
        ("Normal, moderate risk: CAB quorum", T.NORMAL, Risk.MODERATE,
         [("CAB quorum", cab, ApprovalMode.QUORUM, 2)]),
        ("Normal, high risk: owner then full CAB", T.NORMAL, Risk.HIGH,
         [("Change manager", cab, ApprovalMode.ANY, None), ("Full CAB", cab, ApprovalMode.QUORUM, 3)]),
        ("Emergency: ECAB", T.EMERGENCY, "", [("Emergency CAB", ecab, ApprovalMode.ANY, None)]),
    ]
    for name, change_type, risk, stages in policies:
        policy, created = ApprovalPolicy.objects.get_or_create(name=say(name), defaults={"change_type": change_type,
                                                                                    "risk": risk})
        if created:
            for order, (stage_name, group, mode, quorum) in enumerate(stages, start=1):
                ApprovalStage.objects.create(policy=policy, order=order, name=say(stage_name), group=group, mode=mode,
                                             quorum=quorum)
        # Data seeded before stages knew the role: the change-manager stage is the role's.
        ApprovalStage.objects.filter(policy=policy, name=say("Change manager")).update(managers_decide=True)
    now = ctx.now
    year_end = now.replace(month=12, day=24, hour=0, minute=0, second=0, microsecond=0)
    if year_end < now - timedelta(days=8):
        year_end = year_end.replace(year=year_end.year + 1)
    FreezeWindow.objects.get_or_create(name=say("Year-end financial close"), defaults={
        "reason": say("No changes to finance systems while the books close."), "start": year_end,
        "end": year_end + timedelta(days=9)})
    services_list = ctx.shared.get("services") or list(ConfigurationItem.objects.business_services()[:5])
    launch, created = FreezeWindow.objects.get_or_create(name=say("Customer portal launch"), defaults={
        "reason": say("Marketing launch week."), "start": now + timedelta(days=40), "end": now + timedelta(days=44)})
    if created and services_list:
        launch.services.set(services_list[:2])
    return {"cab": cab, "ecab": ecab, "teams": teams,
            "templates": list(ChangeTemplate.objects.filter(active=True))}


def _freezes(now):
    return [(f.start, f.end) for f in FreezeWindow.objects.filter(active=True)]


def _window(rng, now, *, past, freezes):
    for _attempt in range(20):
        if past:
            start = now - timedelta(days=rng.randint(1, 45), hours=rng.randint(0, 23))
        else:
            start = now + timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 23))
        start = start.replace(minute=0, second=0, microsecond=0)
        end = start + timedelta(hours=rng.choice([1, 2, 3, 4, 6]))
        if not any(s < end and e > start for s, e in freezes):
            return start, end
    return start, end


def _approve_all(change, approvers, rng):
    """Give approvals from eligible members until the change leaves authorize."""
    for _ in range(10):
        if change.state != S.AUTHORIZE or change.approved_at is not None:
            return change
        specs, facts = services.stage_specs(change), services.decision_facts(change)
        one_vote = services.one_vote_per_person(change)
        eligible = [u for u in approvers if approval_rules.offer(
            specs, facts, actor_id=u.pk, requester_id=change.requested_by_id, one_vote_per_person=one_vote).stage]
        if not eligible:
            return change
        approver = rng.choice(eligible)
        _approval, change = services.decide_approval(change, actor=approver, channel=SYSTEM, decision="approve",
                                                     comment=rng.choice(["Looks good.", "Approved for the window.",
                                                                         "OK, keep the backout ready.", ""]))
    return change


def _walk(ctx, change, target, approvers, outcome):
    rng = ctx.rng
    actor = change.requested_by
    move = lambda c, state, **kw: services.transition_change(c, actor=actor, channel=SYSTEM, target=state, **kw)  # noqa: E731
    if target == S.NEW:
        return change
    if target == S.CANCELLED:
        return move(change, S.CANCELLED, reason="No longer needed")
    if change.type == T.NORMAL:
        answers = {"outage_required": rng.random() < 0.4, "first_time": rng.random() < 0.3,
                   "tested": rng.random() < 0.8, "backout_tested": rng.random() < 0.6,
                   "customer_facing": rng.random() < 0.3}
        change, _result = services.assess_risk(change, actor=actor, channel=SYSTEM, answers=answers)
        change = move(change, S.ASSESS)
        if target == S.ASSESS:
            return change
        change = move(change, S.AUTHORIZE)
        if target == S.AUTHORIZE:
            return change
        change = _approve_all(change, approvers, rng)
    elif change.type == T.EMERGENCY:
        change = move(change, S.AUTHORIZE)
        if target in (S.ASSESS, S.AUTHORIZE):
            return change
        change = _approve_all(change, approvers, rng)
    else:
        change = move(change, S.SCHEDULED)
    change = Change.objects.get(pk=change.pk)
    if change.state != S.SCHEDULED or target == S.SCHEDULED:
        return change
    change = move(change, S.IMPLEMENT)
    if target == S.IMPLEMENT:
        return change
    change = move(change, S.REVIEW, outcome=outcome)
    if target == S.REVIEW:
        return change
    if services.workflow.needs_pir(services.workflow_facts(change)):
        services.record_pir(change, actor=approvers[0] if approvers else actor, channel=SYSTEM,
                            summary="Reviewed with the implementer and the service owner.",
                            lessons_learned="Rehearse the backout on staging first.",
                            follow_up_actions="Update the runbook.")
        change = Change.objects.get(pk=change.pk)
    return move(change, S.CLOSED)


TARGETS = [S.NEW, S.ASSESS, S.AUTHORIZE, S.SCHEDULED, S.SCHEDULED, S.SCHEDULED, S.IMPLEMENT, S.REVIEW, S.CLOSED,
           S.CLOSED, S.CANCELLED]


def _seed_through_services(ctx, count, config):
    rng, now = ctx.rng, ctx.now
    approvers = list(config["cab"].members.all())
    cab_ids = {u.pk for u in approvers}
    requesters = [u for u in (ctx.shared.get("agents") or User.objects.filter(groups__name=Role.AGENT))
                  if u.pk not in cab_ids] or approvers
    ci_ids = list(ctx.shared.get("cis") or ConfigurationItem.objects.values_list("pk", flat=True)[:500])
    cis = ConfigurationItem.objects.in_bulk(ci_ids)
    freezes = _freezes(now)
    incident_ids = list(ctx.shared.get("incidents") or [])
    for index in range(count):
        target = TARGETS[index % len(TARGETS)]
        change_type = [T.NORMAL, T.NORMAL, T.STANDARD, T.NORMAL, T.EMERGENCY][index % 5]
        affected = [cis[i] for i in rng.sample(ci_ids, min(len(ci_ids), rng.randint(1, 3)))] if ci_ids else []
        past = target in (S.IMPLEMENT, S.REVIEW, S.CLOSED)
        start, end = _window(rng, now, past=past, freezes=freezes)
        requester = rng.choice(requesters)
        name = affected[0].name if affected else "core router"
        fields = {"title": rng.choice(TITLES).format(ci=name), "type": change_type, "planned_start": start,
                  "planned_end": end, "requested_by": requester,
                  "assignment_group": rng.choice(config["teams"]) if config["teams"] else None,
                  "description": "Requested by the service owner after the last capacity review.", **PLANS}
        if change_type == T.STANDARD:
            template = rng.choice(config["templates"])
            fields.update(template=template, title=f"{template.name}: {name}")
            for key in PLANS:
                fields.pop(key)
        if change_type == T.EMERGENCY:
            fields["emergency_reason"] = "Actively exploited vulnerability; vendor hotfix must go in today."
        outcome = rng.choice([Outcome.SUCCESSFUL] * 5 + [Outcome.SUCCESSFUL_WITH_ISSUES, Outcome.FAILED,
                                                         Outcome.BACKED_OUT])
        try:
            with transaction.atomic():
                change = services.create_change(actor=requester, channel=SYSTEM, affected_cis=affected, **fields)
                change = _walk(ctx, change, target, approvers, outcome)
                if change.outcome in (Outcome.FAILED, Outcome.BACKED_OUT) and incident_ids:
                    change.caused_incidents.set(rng.sample(incident_ids, 1))
        except DomainError as exc:  # a rule refused one walk (say a freeze): keep going
            ctx.log(f"  changes: skipped one ({exc.message})")
    # One rejected change, back in assessment for a second round.
    change = Change.objects.filter(state=S.AUTHORIZE, type=T.NORMAL).order_by("pk").first()
    if change is not None:
        specs = services.stage_specs(change)
        member = next((u for u in approvers if specs and u.pk in specs[0].eligible
                       and u.pk != change.requested_by_id), None)
        if member:
            services.decide_approval(change, actor=member, channel=SYSTEM, decision="reject",
                                     comment="Window clashes with the quarter-end batch; pick another night.")


def bulk_create_changes(count, *, rng, now, requester_ids, ci_pool, scheduled_share=0.88, days=180, cis_per_change=(1, 5)):
    """Create `count` changes quickly (no audit rows): mostly scheduled over `days`, the rest spread over
    the other states, with impacted services from the CMDB graph. Returns the new ids."""
    states = [S.SCHEDULED] * int(scheduled_share * 100) + [S.IMPLEMENT] * 3
    others = [S.NEW, S.ASSESS, S.AUTHORIZE, S.REVIEW, S.CLOSED, S.CANCELLED]
    states += others * max(1, (100 - len(states)) // len(others))
    ci_pool = list(ci_pool)
    service_map = conflicts.services_by_ci(ci_pool)
    first = NumberSequence.allocate(Change.NUMBER_PREFIX, count)
    rows, links = [], []
    for index in range(count):
        state = rng.choice(states)
        start = (now + timedelta(minutes=rng.randint(-7 * 24 * 60, days * 24 * 60))).replace(second=0, microsecond=0)
        end = start + timedelta(hours=rng.choice([1, 2, 3, 4, 6, 8]))
        chosen = rng.sample(ci_pool, min(len(ci_pool), rng.randint(*cis_per_change)))
        impacted = sorted({s for ci in chosen for s in service_map.get(ci, [])})
        rows.append(Change(
            number=NumberSequence.format(Change.NUMBER_PREFIX, first + index),
            title=rng.choice(TITLES).format(ci=f"CI {chosen[0]}"), type=rng.choice([T.NORMAL, T.NORMAL, T.STANDARD]),
            state=state, risk=rng.choice([Risk.LOW, Risk.MODERATE, Risk.HIGH]), planned_start=start, planned_end=end,
            requested_by_id=rng.choice(requester_ids), created_at=now, updated_at=now,
            approved_at=now if state in (S.SCHEDULED, S.IMPLEMENT, S.REVIEW, S.CLOSED) else None,
            impacted_services=impacted, **PLANS,
        ))
        links.append(chosen)
    created = []
    for offset in range(0, len(rows), 2000):
        created += Change.objects.bulk_create(rows[offset:offset + 2000])
    through = Change.affected_cis.through
    link_rows = [through(change_id=c.pk, configurationitem_id=ci) for c, cis in zip(created, links) for ci in cis]
    for offset in range(0, len(link_rows), 10000):
        through.objects.bulk_create(link_rows[offset:offset + 10000], ignore_conflicts=True)
    # Templates are required on standard changes.
    template = ChangeTemplate.objects.filter(active=True).first()
    Change.objects.filter(pk__in=[c.pk for c in created], type=T.STANDARD).update(template=template)
    return [c.pk for c in created]


def seed(ctx):
    """Create this module's demo records. Must be idempotent (safe to run twice)."""
    config = _configuration(ctx)
    wanted = ctx.counts.get("changes", 60)
    missing = wanted - Change.objects.count()
    if missing > 0:
        if wanted <= BULK_THRESHOLD:
            _seed_through_services(ctx, missing, config)
        else:
            requester_ids = list(User.objects.filter(groups__name__in=[Role.AGENT, Role.MANAGER])
                                 .values_list("pk", flat=True)) or [ctx.shared["admin"].pk]
            pool = list(ConfigurationItem.objects.order_by("?").values_list("pk", flat=True)[:2000])
            if not pool:
                ctx.log("  changes: no CIs, skipped")
                return
            bulk_create_changes(missing, rng=ctx.rng, now=ctx.now, requester_ids=requester_ids, ci_pool=pool)
    ctx.shared["changes"] = list(Change.objects.order_by("-pk").values_list("pk", flat=True)[:200])
    counts = {s: Change.objects.filter(state=s).count() for s in S}
    ctx.log("  changes: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
