"""What else the change calendar shows. Apps above changes (releases) contribute their entries
here from their AppConfig.ready(), so the calendar needs no import of them.

A source is called with the viewer, the window [start, end), the group filter and, when the
calendar is filtered by service, the changes shown (entries then follow those changes); it
returns the records to list, each with a `planned_date`.
"""

_sources = {}


def register(kind, source):
    _sources[kind] = source


def entries(kind, *, user, start, end, group=None, changes=None):
    source = _sources.get(kind)
    if source is None:
        return []
    return list(source(user=user, start=start, end=end, group=group, changes=changes))
