import datetime as dt

KST = dt.timezone(dt.timedelta(hours=9))


def kst_nov(day, hour=0, minute=0):
    """An instant of November 2026 given in Korean time."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=KST)
