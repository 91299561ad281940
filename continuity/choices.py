from django.db import models
from django.utils.translation import gettext_lazy as _


class TestKind(models.TextChoices):
    TABLETOP = "tabletop", _("Tabletop exercise")
    SIMULATION = "simulation", _("Simulation")
    FULL = "full", _("Full interruption test")


class TestResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    PASSED_WITH_FINDINGS = "passed_with_findings", _("Passed with findings")
    FAILED = "failed", _("Failed")


PASSING = frozenset({TestResult.PASSED, TestResult.PASSED_WITH_FINDINGS})
RESULT_BADGES = {TestResult.PASSED: "success", TestResult.PASSED_WITH_FINDINGS: "warning",
                 TestResult.FAILED: "danger"}
