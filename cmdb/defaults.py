"""The default CI classes outside migrations: for tests whose database was flushed
(transactional and browser tests) and for scripts. Safe to call repeatedly."""

import importlib


def ensure_default_classes():
    from django.apps import apps

    migration = importlib.import_module("cmdb.migrations.0002_default_classes")
    migration.create_classes(apps, None)
