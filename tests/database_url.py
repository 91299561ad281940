"""The URL of the database a test runs on, for the child processes (workers, other clients) it starts."""

from urllib.parse import quote


def database_url(settings_dict):
    """`postgres://` URL of a Django database settings dict.

    HOST may be a socket directory (the embedded PostgreSQL listens on one only): it goes into the
    host part percent-encoded, which dj-database-url turns back into the path.
    """
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    user = quote(settings_dict.get("USER") or "postgres", safe="")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}@" if password else f"{user}@"
    return f"postgres://{auth}{quote(str(host), safe='')}:{port}/{settings_dict['NAME']}"
