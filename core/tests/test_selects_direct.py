"""core.selects builds instances without Model.__init__ only where that leaves the same instance."""
from django.db import models

from core.selects import Columns
from incidents.models import Incident


def test_a_plain_model_is_built_directly():
    assert Columns(Incident, "i", names=["id", "number"]).direct


def test_a_model_with_its_own_from_db_goes_through_it():
    class Remembering(models.Model):
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "core"
            managed = False

        @classmethod
        def from_db(cls, db, field_names, values):
            instance = super().from_db(db, field_names, values)
            instance.loaded = dict(zip(field_names, values))
            return instance

    columns = Columns(Remembering, "r")
    assert not columns.direct
    assert columns.load((1, "x")).loaded == {"id": 1, "name": "x"}
