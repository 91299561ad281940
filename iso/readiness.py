"""The readiness rules: per clause, a traffic light and the reasons for it, from facts gathered
beforehand (iso.facts). Plain Python, no ORM: the desk page, the API and the tests call the same.

A clause is
- red when a major nonconformity is open on it, or when nothing at all evidences it (no current
  approved document and no records in the last 90 days): a fresh installation is all red;
- green when every check that applies to it passes:
  * a current approved document, where the clause requires one (the management-system clauses
    4.3, 5.2, 6.2, 6.3 and 7.5, and every process clause 8.x for its procedure);
  * records in the last 90 days, where record types serve it (core.evidence);
  * KPI results, where one of its record types has KPIs (measured from records of the period);
  * an internal audit in the current cycle (the last 12 months);
- amber otherwise (some evidence, something missing).
A heading with sub-clauses (4, 8.2, ...) shows the worst light of its sub-clauses.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _, ngettext

from core import clauses

RED, AMBER, GREEN = "red", "amber", "green"
LIGHTS = (RED, AMBER, GREEN)
_RANK = {RED: 0, AMBER: 1, GREEN: 2}

RECENT_DAYS = 90
AUDIT_CYCLE_DAYS = 365
DAYS = {"days": RECENT_DAYS}
DOCUMENT_CLAUSES = frozenset({"4.3", "5.2", "6.2", "6.3", "7.5"})


def has_children(clause_id: str) -> bool:
    return any(c.parent_id == clause_id for c in clauses.CLAUSES)


def children(clause_id: str) -> list[str]:
    return [c.id for c in clauses.CLAUSES if c.parent_id == clause_id]


def requires_document(clause_id: str) -> bool:
    return clause_id in DOCUMENT_CLAUSES or (clause_id.startswith("8.") and not has_children(clause_id))


@dataclass
class Facts:
    """What the database says about one clause (counts, not records)."""
    clause_id: str
    documents: int = 0          # current approved documents naming the clause
    sources: int = 0            # record types registered for the clause
    recent_records: int = 0     # 0 or more records of those types in the last 90 days (>0 is enough)
    kpi_sources: int = 0        # record types of the clause that have KPIs
    kpi_records: int = 0        # records of those types in the last 90 days
    audited: bool = False       # covered by an internal audit completed in the cycle
    major_nc: bool = False      # a major nonconformity still open on it


@dataclass
class Readiness:
    clause_id: str
    light: str
    reasons: list[str] = field(default_factory=list)
    checks: list[tuple[str, bool, str]] = field(default_factory=list)  # (code, passed, text)

    @property
    def title(self):
        return clauses.get(self.clause_id).title


def evaluate(facts: Facts) -> Readiness:
    """The light of one leaf clause."""
    checks = []
    if requires_document(facts.clause_id):
        checks.append(("document", facts.documents > 0,
                       _("A current approved document covers the clause.") if facts.documents
                       else _("No current approved document (policy, plan or procedure) names the clause.")))
    if facts.sources:
        checks.append(("records", facts.recent_records > 0,
                       ngettext("Records in the last %(days)s day.", "Records in the last %(days)s days.",
                                RECENT_DAYS) % DAYS
                       if facts.recent_records
                       else ngettext("No records in the last %(days)s day.", "No records in the last %(days)s days.",
                                RECENT_DAYS) % DAYS))
    if facts.kpi_sources:
        checks.append(("kpi", facts.kpi_records > 0,
                       _("KPI results available.") if facts.kpi_records
                       else ngettext("No KPI results: nothing measured in the last %(days)s day.",
                                    "No KPI results: nothing measured in the last %(days)s days.",
                                    RECENT_DAYS) % DAYS))
    if not facts.sources and not requires_document(facts.clause_id):
        checks.append(("document", facts.documents > 0,
                       _("A current approved document evidences the clause.") if facts.documents
                       else _("No record type or current document evidences the clause.")))
    checks.append(("audit", facts.audited,
                   _("Audited in the current cycle.") if facts.audited
                   else _("Not covered by an internal audit in the last 12 months.")))
    checks.append(("nonconformity", not facts.major_nc,
                   _("No open major nonconformity.") if not facts.major_nc
                   else _("A major nonconformity is open.")))

    if facts.major_nc or (facts.documents == 0 and facts.recent_records == 0):
        light = RED
    elif all(passed for _code, passed, _text in checks):
        light = GREEN
    else:
        light = AMBER
    reasons = [text for _code, passed, text in checks if not passed]
    if light == RED and not facts.major_nc:
        reasons.insert(0, _("No evidence yet."))
    if light == GREEN:
        reasons = [_("All checks pass.")]
    return Readiness(facts.clause_id, light, reasons, checks)


def roll_up(clause_id: str, results: dict[str, Readiness]) -> Readiness:
    """A heading: the worst light of its sub-clauses (already in `results`)."""
    subs = [results[c] for c in children(clause_id) if c in results]
    if not subs:
        return Readiness(clause_id, RED, [_("No sub-clauses assessed.")])
    light = min((r.light for r in subs), key=_RANK.__getitem__)
    green = sum(r.light == GREEN for r in subs)
    reasons = [ngettext("%(green)s of %(total)s sub-clause is green.",
                        "%(green)s of %(total)s sub-clauses are green.",
                        len(subs)) % {"green": green, "total": len(subs)}]
    reasons += [f"{r.clause_id}: {r.light_label}" for r in subs if r.light != GREEN]
    return Readiness(clause_id, light, reasons)


def light_label(light: str) -> str:
    return {RED: _("Red"), AMBER: _("Amber"), GREEN: _("Green")}[light]


BADGES = {RED: "danger", AMBER: "warning", GREEN: "success"}
Readiness.light_label = property(lambda self: light_label(self.light))
Readiness.badge = property(lambda self: BADGES[self.light])


def assess(facts_by_clause: dict[str, Facts]) -> dict[str, Readiness]:
    """Every clause of the catalogue, leaves first, then headings bottom-up."""
    results = {}
    for clause in sorted(clauses.CLAUSES, key=lambda c: -c.depth):
        if has_children(clause.id):
            results[clause.id] = roll_up(clause.id, results)
        else:
            results[clause.id] = evaluate(facts_by_clause.get(clause.id) or Facts(clause.id))
    return {c.id: results[c.id] for c in clauses.CLAUSES}
