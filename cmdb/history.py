"""How a CI's own audit rows read on its timeline (registered in CmdbConfig.ready)."""

from django.utils.translation import gettext as _

from cmdb.models import ConfigurationItem
from core import history


def attribute_label(key):
    """"attributes.os_version" → "Attribute: Os version"."""
    return _("Attribute: %(name)s") % {"name": history.humanise(key)}


def register():
    history.register("attributes.", model=ConfigurationItem, label=attribute_label, prefix=True)
