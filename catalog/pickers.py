"""The "business_service" picker kind (core.pickers): the CMDB business service an item belongs to."""

from django.utils.translation import gettext_lazy as _

from core import pickers


def options(user=None):
    from catalog.selectors import business_services

    return business_services()


def register():
    pickers.register(pickers.PickerKind(
        name="business_service", options=options, fields=("name",), label=lambda ci: ci.name,
        placeholder=_("Type a business service"), ordering=("name", "pk"),
        ambiguous=_("%(field)s: several business services match “%(text)s”. Pick one from the list."),
        unknown=_("%(field)s: no business service is called “%(text)s”. Type its full name, or pick one "
                  "from the list."),
        unavailable=_("%(field)s: this is not a business service. Pick one from the list."),
    ))
