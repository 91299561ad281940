"""The layering contracts in pyproject.toml hold (bin/test runs lint-imports too; this keeps them
honest when pytest is run on its own)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports():
    found = Path(sys.executable).with_name("lint-imports")
    return str(found) if found.exists() else shutil.which("lint-imports")


@pytest.mark.skipif(_lint_imports() is None, reason="import-linter is in the test extra")
def test_the_import_contracts_hold():
    done = subprocess.run([_lint_imports(), "--no-logo", "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    for contract in ("core below the apps", "Only tasks modules", "No import cycles"):
        assert contract in done.stdout
    assert "BROKEN" not in done.stdout

