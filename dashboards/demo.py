"""Demo of dashboards: no records of its own; once every module has seeded (and the SLA
finisher has settled the back-dated breaches), the manager dashboard's figures are computed so
the first visit reads a snapshot like every later one."""


def seed(ctx):
    pass


def finish(ctx):
    from dashboards import manager

    snapshot = manager.refresh()
    ctx.log(f"  dashboards: manager figures computed in {snapshot.duration_ms} ms")
