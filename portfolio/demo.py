"""Demo data for the service portfolio: each demo business service gets its stage (most live, a
couple in the pipeline, one retired through a closed change), an owner, customers and a short
catalogue description in English or Korean (`--language ko`). Idempotent: one entry per service."""

from catalog.models import CatalogItem  # noqa: F401  (the catalog demo runs first; items link by service)
from changes.models import Change
from cmdb.models import ConfigurationItem
from core import demo
from core.choices import Channel
from portfolio import services
from portfolio.choices import Lifecycle
from portfolio.models import PortfolioService

demo.korean({
    "Delivered by the IT service desk, with the agreed service levels.":
        "IT 서비스 데스크가 합의된 서비스 수준으로 제공합니다.",
})


def seed(ctx):
    say = demo.say
    staff = [a for a in ctx.shared.get("agents", []) if a is not None] or [ctx.shared.get("admin")]
    organisations = ctx.shared.get("organisations") or []
    change = Change.objects.filter(state="closed").order_by("-pk").first() or Change.objects.order_by("-pk").first()
    made = 0
    cis = ctx.shared.get("services") or list(ConfigurationItem.objects.business_services().active().order_by("pk")[:50])
    for index, ci in enumerate(cis):
        if PortfolioService.objects.filter(service=ci).exists():
            continue
        stage = Lifecycle.LIVE
        if index % 5 == 3:
            stage = Lifecycle.PIPELINE
        elif index % 5 == 4 and change is not None:
            stage = Lifecycle.RETIRED
        fields = {"lifecycle": stage, "owner": staff[index % len(staff)], "name_ko": "",
                  "summary": say("Delivered by the IT service desk, with the agreed service levels."),
                  "customers": organisations[index % max(len(organisations), 1):][:2]}
        if stage == Lifecycle.RETIRED:
            fields["change"] = change
        services.create_service(actor=None, channel=Channel.SYSTEM, service=ci, now=ctx.now, **fields)
        made += 1
    ctx.log(f"  portfolio: entries added: {made}")
