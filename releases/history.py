"""How a release's deployment rows read on its timeline (registered in ReleasesConfig.ready)."""

from django.utils.translation import gettext_lazy

from core import history
from releases.choices import DeploymentState, Environment
from releases.models import Release


def deployment_text(raw, entry):
    """"production:in_progress" → "Production: In progress"."""
    environment, _sep, state = str(raw).partition(":")
    environment = dict(Environment.choices).get(environment, environment)
    state = dict(DeploymentState.choices).get(state, state)
    return f"{environment}: {state}" if state else str(environment)


def register():
    history.register("deployment", model=Release, label=gettext_lazy("deployment"), display=deployment_text)
