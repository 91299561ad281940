"""The "ci" picker kind (core.pickers): a configuration item, typed by name."""

from django.utils.translation import gettext_lazy as _

from core import pickers


def options(user=None):
    from cmdb.models import ConfigurationItem

    cis = ConfigurationItem.objects.active().select_related("ci_class")
    return cis if user is None else cis.visible_to(user)


def register():
    pickers.register(pickers.PickerKind(
        name="ci", options=options, fields=("name",), label=lambda ci: ci.name, placeholder=_("Type a CI name"),
        detail=lambda ci: ci.ci_class.name, ordering=("name", "pk"),
        ambiguous=_("%(field)s: several configuration items match “%(text)s”. Pick one from the list."),
        unknown=_("%(field)s: no configuration item is called “%(text)s”. Type its full name, or pick one "
                  "from the list."),
        unavailable=_("%(field)s: this configuration item cannot be chosen here. Pick one from the list."),
    ))
