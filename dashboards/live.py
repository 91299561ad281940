"""The agent's and the team lead's dashboards: live figures over open work (small, indexed sets),
each with the desk list that shows exactly those records.

Agent ("my work"): my open incidents (by priority), my open request tasks, my open problems,
my open changes, the approvals waiting for my decision, and my incidents breaching soon or
breached and still open.

Team lead, per group they lead: the open incidents by age (opened less than a day ago, 1–3
days, 3–7 days, 7–30 days, 30 days or more), those breaching soon (sla.queues: the next four
business hours) and breached, the open request tasks; and per member of the group, the open
incidents and tasks assigned to them in that group.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from changes.choices import OPEN_STATES as CHANGE_OPEN
from changes.models import Change
from core.approvals import pending_count_for_request
from dashboards.links import figure, instant, list_url
from fulfilment.choices import OPEN_TASK_STATES
from fulfilment.models import Task
from incidents.choices import OPEN_STATES, Priority
from incidents.filtersets import Queue
from incidents.models import Incident
from problems.models import Problem
from sla import queues as sla_queues

# (label, youngest age, oldest age); None: no bound.
AGE_BUCKETS = [
    (_("Under 1 day"), None, dt.timedelta(days=1)),
    (_("1–3 days"), dt.timedelta(days=1), dt.timedelta(days=3)),
    (_("3–7 days"), dt.timedelta(days=3), dt.timedelta(days=7)),
    (_("7–30 days"), dt.timedelta(days=7), dt.timedelta(days=30)),
    (_("30 days or more"), dt.timedelta(days=30), None),
]


def _incidents(**params):
    return list_url("incidents:incident_list", **params)


def agent(request, now=None) -> dict:
    user = request.user
    now = now or timezone.now()
    soon = sla_queues.window(now)
    mine = Incident.objects.filter(assigned_to=user, state__in=OPEN_STATES).order_by()
    counts = mine.aggregate(
        total=Count("pk"),
        breaching=Count("pk", filter=sla_queues.breaching_soon_q(Incident, soon)),
        breached=Count("pk", filter=sla_queues.breached_open_q(Incident, now)),
        **{f"p{p.value}": Count("pk", filter=Q(priority=p.value)) for p in Priority},
    )
    tasks = Task.objects.filter(assigned_to=user, state__in=OPEN_TASK_STATES).count()
    problems = Problem.objects.filter(assigned_to=user).open().count()
    changes = Change.objects.filter(assigned_to=user, state__in=CHANGE_OPEN).count()
    approvals = pending_count_for_request(request)
    return {
        "incidents": figure(counts["total"], _incidents(queue=Queue.MINE)),
        "breaching": figure(counts["breaching"], _incidents(queue=Queue.BREACHING, assigned_to=user.pk)),
        "breached": figure(counts["breached"], _incidents(queue=Queue.BREACHED, assigned_to=user.pk)),
        "by_priority": [figure(counts[f"p{p.value}"], _incidents(queue=Queue.MINE, priority=p.value),
                               label=str(p.label), key=p.value) for p in Priority],
        "tasks": figure(tasks, list_url("fulfilment:task_list", queue="mine")),
        "problems": figure(problems, list_url("problems:problem_list", open=True, assigned_to=user.pk)),
        "changes": figure(changes, list_url("changes:change_list", open=True, assigned_to=user.pk)),
        "approvals": figure(approvals, list_url("approvals")),
    }


def lead(teams, now=None) -> list[dict]:
    """One block per group: backlog by age, breaches coming and past, workload per member."""
    now = (now or timezone.now()).replace(microsecond=0)  # the links carry whole seconds
    teams = list(teams)
    if not teams:
        return []
    soon = sla_queues.window(now)
    bounds = [(label, now - older if older else None, now - younger if younger else None)
              for label, younger, older in AGE_BUCKETS]

    def age_q(after, before):
        q = Q()
        if after is not None:
            q &= Q(created_at__gte=after)
        if before is not None:
            q &= Q(created_at__lt=before)
        return q

    # One grouped read per table, by group and assignee: the group's figures are the sums of its
    # rows, a member's workload is their row (a second query per table cost as much as the first).
    open_incidents = Incident.objects.filter(assignment_group__in=teams, state__in=OPEN_STATES).order_by()
    per_team, per_person = {}, {}
    for row in open_incidents.values("assignment_group", "assigned_to").annotate(
        total=Count("pk"),
        breaching=Count("pk", filter=sla_queues.breaching_soon_q(Incident, soon)),
        breached=Count("pk", filter=sla_queues.breached_open_q(Incident, now)),
        **{f"age{i}": Count("pk", filter=age_q(after, before)) for i, (_l, after, before) in enumerate(bounds)},
    ):
        sums = per_team.setdefault(row["assignment_group"], {})
        for key, value in row.items():
            if key not in ("assignment_group", "assigned_to"):
                sums[key] = sums.get(key, 0) + value
        if row["assigned_to"] is not None:
            per_person[(row["assignment_group"], row["assigned_to"])] = row["total"]
    open_tasks = Task.objects.filter(assignment_group__in=teams, state__in=OPEN_TASK_STATES).order_by()
    tasks_per_team, tasks_per_person = {}, {}
    for group, person, n in open_tasks.values_list("assignment_group", "assigned_to").annotate(n=Count("pk")):
        tasks_per_team[group] = tasks_per_team.get(group, 0) + n
        if person is not None:
            tasks_per_person[(group, person)] = n
    members = {}
    for team_id, person in User.objects.filter(teams__in=teams).order_by("display_name", "username").values_list(
            "teams", "pk").distinct():
        members.setdefault(team_id, []).append(person)
    people = {u.pk: u for u in User.objects.filter(pk__in={p for ps in members.values() for p in ps})}

    blocks = []
    for team in teams:
        row = per_team.get(team.pk) or {}
        group = {"queue": Queue.OPEN, "assignment_group": team.pk}
        ages = []
        for i, (label, after, before) in enumerate(bounds):
            ages.append(figure(row.get(f"age{i}", 0), _incidents(
                created_after=instant(after) if after else None,
                created_before=instant(before) if before else None, **group), label=str(label)))
        workload = []
        for person in members.get(team.pk, []):
            workload.append({
                "name": str(people[person]),
                "incidents": figure(per_person.get((team.pk, person), 0), _incidents(assigned_to=person, **group)),
                "tasks": figure(tasks_per_person.get((team.pk, person), 0), list_url(
                    "fulfilment:task_list", queue="open", assignment_group=team.pk, assigned_to=person)),
            })
        blocks.append({
            "id": team.pk,
            "name": team.name,
            "open": figure(row.get("total", 0), _incidents(**group)),
            "breaching": figure(row.get("breaching", 0), _incidents(queue=Queue.BREACHING,
                                                                    assignment_group=team.pk)),
            "breached": figure(row.get("breached", 0), _incidents(queue=Queue.BREACHED, assignment_group=team.pk)),
            "tasks": figure(tasks_per_team.get(team.pk, 0), list_url(
                "fulfilment:task_list", queue="open", assignment_group=team.pk)),
            "ages": ages,
            "workload": workload,
        })
    return blocks
