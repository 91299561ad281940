import itertools

from cmdb.models import CIClass, ConfigurationItem, Relationship

_seq = itertools.count(1)


def ci_class(slug="server"):
    found = CIClass.objects.filter(slug=slug).first()
    if found is None:  # a transactional test flushed the migration's data
        from cmdb.defaults import ensure_default_classes

        ensure_default_classes()
        found = CIClass.objects.get(slug=slug)
    return found


def make_ci(name=None, cls="server", **fields):
    fields.setdefault("environment", "production")
    return ConfigurationItem.objects.create(
        name=name or f"ci-{next(_seq):05d}", ci_class=ci_class(cls) if isinstance(cls, str) else cls, **fields)


def relate(source, target, type="depends_on"):
    return Relationship.objects.create(source=source, target=target, type=type)
