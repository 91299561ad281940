"""Demo data for problem management; called by `manage.py seed_demo` in dependency order.

A dozen hand-written problems in every state (several published known errors with
workarounds) linked to demo incidents and CIs, then generated ones up to ctx.counts["problems"].
Idempotent: curated problems are keyed by title; generated ones only top up the count.
"""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from core.choices import AuditAction, Channel
from core.models import AuditEntry, NumberSequence
from incidents.models import Incident
from problems import services
from problems.choices import CauseCategory, ProblemState
from problems.models import Problem
from problems.selectors import refresh_search

SYSTEM = Channel.SYSTEM
BULK_THRESHOLD = 500
BATCH = 1000

# (title, final state, cause category, root cause, workaround, published, keywords to pick incidents)
CURATED = [
    ("VPN sessions drop after 10 minutes", ProblemState.KNOWN_ERROR, CauseCategory.SOFTWARE,
     "Idle timeout on the VPN concentrator firmware 9.1 ignores keep-alives from the new client.",
     "Disable 'split tunnelling' in the VPN client, or reconnect; sessions then stay up for the day.", True,
     ("vpn",)),
    ("Printing to 3rd-floor printers fails intermittently", ProblemState.KNOWN_ERROR, CauseCategory.CONFIGURATION,
     "", "Print through the print server queue \\\\prt01\\3F-mono instead of the direct IP port.", True,
     ("print",)),
    ("Outlook search returns no results", ProblemState.KNOWN_ERROR, CauseCategory.SOFTWARE,
     "Windows Search index corrupted after the monthly cumulative update.",
     "Control Panel > Indexing Options > Advanced > Rebuild. Takes about 30 minutes.", True,
     ("mail", "outlook", "email")),
    ("ERP month-end batch overruns into business hours", ProblemState.INVESTIGATION, CauseCategory.CAPACITY,
     "", "Run the GL posting batch manually at 05:00 if the 02:00 run is still going at 04:30.", True,
     ("erp", "batch", "slow")),
    ("Wi-Fi authentication fails for new laptops", ProblemState.KNOWN_ERROR, CauseCategory.CONFIGURATION,
     "The RADIUS policy still requires the retired machine certificate template.",
     "Connect to the guest network, then enrol the certificate from the self-service portal.", True,
     ("wi-fi", "wifi", "wireless", "network")),
    ("Password reset e-mails arrive late", ProblemState.INVESTIGATION, CauseCategory.SUPPLIER,
     "", "", False, ("password", "account", "login")),
    ("Database backups fail on the reporting cluster", ProblemState.NEW, CauseCategory.UNKNOWN,
     "", "", False, ("database", "backup", "db")),
    ("Shared drive mapping lost after reboot", ProblemState.RESOLVED, CauseCategory.CONFIGURATION,
     "Group policy applied the drive map before the network was ready (fast logon optimisation).",
     "Run 'gpupdate /force' and log off and on.", True, ("drive", "file", "share")),
    ("Groupware calendar invitations duplicated", ProblemState.CLOSED, CauseCategory.SOFTWARE,
     "Mobile sync client 4.2 re-sent meeting updates; fixed in 4.3, deployed by change.",
     "Remove duplicate entries; do not accept the second invitation.", False, ("calendar", "groupware")),
    ("HR portal times out under load", ProblemState.RESOLVED, CauseCategory.CAPACITY,
     "Connection pool of the HR application limited to 20 sessions.",
     "", False, ("hr", "portal", "timeout")),
    ("Suspected phishing campaign against Finance", ProblemState.CANCELLED, CauseCategory.SECURITY,
     "", "", False, ("phishing", "security")),
    ("Branch office link flaps every afternoon", ProblemState.INVESTIGATION, CauseCategory.NETWORK,
     "", "Fail over to the LTE backup link from the branch router's web console.", True,
     ("branch", "link", "network")),
]

PATHS = {
    ProblemState.NEW: [],
    ProblemState.INVESTIGATION: [ProblemState.INVESTIGATION],
    ProblemState.KNOWN_ERROR: [ProblemState.INVESTIGATION, ProblemState.KNOWN_ERROR],
    ProblemState.RESOLVED: [ProblemState.INVESTIGATION, ProblemState.KNOWN_ERROR, ProblemState.RESOLVED],
    ProblemState.CLOSED: [ProblemState.INVESTIGATION, ProblemState.RESOLVED, ProblemState.CLOSED],
    ProblemState.CANCELLED: [ProblemState.INVESTIGATION, ProblemState.CANCELLED],
}


def _incident_pool(ctx):
    ids = ctx.shared.get("incidents")
    queryset = Incident.objects.all()
    if ids:
        queryset = queryset.filter(pk__in=[getattr(i, "pk", i) for i in ids])
    return Incident, list(queryset.order_by("pk").only("pk", "title", "configuration_item_id", "state")[:2000])


def _pick_incidents(pool, keywords, rng, used):
    matching = [i for i in pool if i.pk not in used and any(k in i.title.lower() for k in keywords)]
    if not matching:
        matching = [i for i in pool if i.pk not in used]
    rng.shuffle(matching)
    chosen = matching[: rng.randint(1, 4)]
    used.update(i.pk for i in chosen)
    return chosen


def _seed_curated(ctx, actor, agents, teams, pool):
    existing = set(Problem.objects.filter(title__in=[c[0] for c in CURATED]).values_list("title", flat=True))
    cis = ctx.shared.get("cis") or []
    used = set(Problem.incidents.through.objects.values_list("incident_id", flat=True))
    rng = ctx.rng
    created = 0
    for index, (title, state, category, root_cause, workaround, published, keywords) in enumerate(CURATED):
        if title in existing:
            continue
        incidents = _pick_incidents(pool, keywords, rng, used) if pool else []
        linked_cis = {i.configuration_item_id for i in incidents} - {None}
        if not linked_cis and cis:
            linked_cis = {cis[index % len(cis)]}
        owner = agents[index % len(agents)] if agents else actor
        group = teams[index % len(teams)] if teams else None
        if group is not None and not group.members.filter(pk=owner.pk).exists():
            owner = group.members.order_by("pk").first() or owner
        start = ctx.now - timedelta(days=40 - index * 3)
        with transaction.atomic():
            problem = services.create_problem(
                actor=owner, channel=Channel.WEB, title=title, now=start,
                description=f"Recurring incidents: {title.lower()}.", cause_category=category,
                priority=1 + index % 4, impact=1 + index % 3, assignment_group=group,
                assigned_to=owner if group is not None and group.members.filter(pk=owner.pk).exists() else None,
                incidents=incidents, configuration_items=linked_cis,
            )
            step = start
            for target in PATHS[state]:
                step += timedelta(days=2, hours=index)
                fields = {}
                if target in (ProblemState.KNOWN_ERROR, ProblemState.RESOLVED):
                    fields = {"root_cause": root_cause or problem.root_cause,
                              "workaround": workaround or problem.workaround}
                    if target == ProblemState.RESOLVED and not fields["root_cause"]:
                        fields["root_cause"] = "Root cause confirmed by vendor analysis."
                    if target == ProblemState.KNOWN_ERROR and not (fields["root_cause"] or fields["workaround"]):
                        fields["workaround"] = "Restart the affected service."
                problem, _diff = services.transition_problem(problem, target, actor=owner, channel=Channel.WEB,
                                                             now=step, **fields)
            if state in (ProblemState.NEW, ProblemState.INVESTIGATION) and (root_cause or workaround):
                problem, _diff = services.update_problem(
                    problem, actor=owner, channel=Channel.WEB, now=step + timedelta(hours=3),
                    changes={"root_cause": root_cause, "workaround": workaround},
                )
            if published and state != ProblemState.CANCELLED and not problem.known_error:
                problem, _diff = services.update_problem(problem, actor=owner, channel=Channel.WEB,
                                                         now=step + timedelta(hours=4),
                                                         changes={"known_error": True})
        created += 1
    return created


def _seed_generated(ctx, actor, teams, pool, wanted):
    """Top up to `wanted` problems in bulk (large demo sizes), with creation audit rows."""
    missing = wanted - Problem.objects.count()
    if missing <= 0:
        return 0
    rng = ctx.rng
    states = [ProblemState.NEW, ProblemState.INVESTIGATION, ProblemState.KNOWN_ERROR, ProblemState.RESOLVED,
              ProblemState.CLOSED, ProblemState.CANCELLED]
    cis = ctx.shared.get("cis") or []
    content_type = ContentType.objects.get_for_model(Problem)
    done = 0
    while done < missing:
        size = min(BATCH, missing - done)
        with transaction.atomic():
            first = NumberSequence.allocate(Problem.NUMBER_PREFIX, size)
            rows = []
            for offset in range(size):
                n = first + offset
                state = states[rng.randrange(len(states))]
                has_fix = state in (ProblemState.KNOWN_ERROR, ProblemState.RESOLVED, ProblemState.CLOSED)
                created = ctx.now - timedelta(days=rng.randint(1, 365), minutes=rng.randint(0, 1440))
                rows.append(Problem(
                    number=NumberSequence.format(Problem.NUMBER_PREFIX, n),
                    title=f"Recurring fault pattern #{n}", description="Generated demo problem.",
                    state=state, priority=rng.randint(1, 5), impact=rng.randint(1, 3),
                    cause_category=rng.choice(CauseCategory.values),
                    root_cause=f"Root cause of pattern {n}." if has_fix else "",
                    workaround=f"Workaround for pattern {n}: restart the component." if has_fix else "",
                    known_error=state == ProblemState.KNOWN_ERROR,
                    assignment_group=rng.choice(teams) if teams else None,
                    created_by=actor, created_at=created, updated_at=created,
                    resolved_at=created + timedelta(days=5) if state in (ProblemState.RESOLVED,
                                                                         ProblemState.CLOSED) else None,
                    closed_at=created + timedelta(days=9) if state == ProblemState.CLOSED else None,
                ))
            Problem.objects.bulk_create(rows)
            refresh_search([p.pk for p in rows])
            AuditEntry.objects.bulk_create([
                AuditEntry(content_type=content_type, object_id=p.pk, object_repr=str(p)[:200],
                           action=AuditAction.CREATED, new_value={"title": p.title, "state": p.state},
                           actor=actor, channel=SYSTEM, created_at=p.created_at,
                           context={"demo": True})
                for p in rows
            ])
            links = []
            ci_links = []
            for p in rows:
                if pool and rng.random() < 0.5:
                    for incident in rng.sample(pool, min(len(pool), rng.randint(1, 3))):
                        links.append(Problem.incidents.through(problem_id=p.pk, incident_id=incident.pk))
                if cis and rng.random() < 0.6:
                    ci_links.append(Problem.configuration_items.through(problem_id=p.pk,
                                                                        configurationitem_id=rng.choice(cis)))
            Problem.incidents.through.objects.bulk_create(links, ignore_conflicts=True)
            Problem.configuration_items.through.objects.bulk_create(ci_links, ignore_conflicts=True)
        done += size
    return done


def seed(ctx):
    """Create this module's demo records. Must be idempotent (safe to run twice)."""
    teams = list(ctx.shared.get("teams") or [])
    agents = list(ctx.shared.get("agents") or [])
    actor = ctx.shared.get("admin") or (agents[0] if agents else None)
    if actor is None:
        ctx.log("  problems: no demo accounts, skipped")
        return
    _incident_cls, pool = _incident_pool(ctx)
    curated = _seed_curated(ctx, actor, agents, teams, pool)
    generated = _seed_generated(ctx, actor, teams, pool, ctx.counts.get("problems", 30))
    ids = list(Problem.objects.order_by("pk").values_list("pk", flat=True)[:500])
    ctx.shared["problems"] = ids
    ctx.shared["known_errors"] = list(Problem.objects.known_errors().values_list("pk", flat=True)[:200])
    ctx.log(f"  problems: {curated} curated and {generated} generated added, {Problem.objects.count()} in total")
