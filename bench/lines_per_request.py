"""Python lines run per request through the WSGI handler, as gunicorn calls it: a figure that does
not move with the machine's load (issue 12, eighth round), where CPU medians move by ±20 % on a
shared machine.

    DATABASE_URL=... DEBUG=0 .venv/bin/python bench/lines_per_request.py /api/v1/incidents/?page_size=25 \
        [--token KEY | --session SESSIONID] [--accept-language ko] [-n 20] [--top 30] [--by-function]

A line is a `line` event of sys.settrace in any Python frame (Django's, DRF's, ours, the standard
library's); C code (psycopg2, the JSON encoder) counts nothing. Five warm-up requests run first,
so per-process caches are full, as they are in a worker that has answered a few requests.
"""
import argparse
import collections
import io
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")
os.environ.setdefault("DEBUG", "0")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--token", help="an API token's key (manage.py create_api_token agent)")
    ap.add_argument("--session", help="a session id (a desk page)")
    ap.add_argument("--accept-language", default="en")
    ap.add_argument("-n", type=int, default=20)
    ap.add_argument("--top", type=int, default=0, help="print the N files (or functions) that ran most")
    ap.add_argument("--by-function", action="store_true")
    a = ap.parse_args()

    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    import logging

    logging.disable(logging.CRITICAL)  # one request line each: not what is measured
    path, _, query = a.path.partition("?")
    headers = {"HTTP_ACCEPT_LANGUAGE": a.accept_language}
    if a.token:
        headers["HTTP_AUTHORIZATION"] = f"Token {a.token}"
    if a.session:
        headers["HTTP_COOKIE"] = f"{settings.SESSION_COOKIE_NAME}={a.session}"
    statuses = []

    def call():
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
                   "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000",
                   "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
                   "wsgi.errors": sys.stderr, **headers}
        body = application(environ, lambda status, _headers, _exc=None: statuses.append(status))
        b"".join(body)
        body.close()

    for _ in range(5):
        call()
    if not statuses[-1].startswith("200"):
        sys.exit(f"{a.path} answered {statuses[-1]}")
    counts = collections.Counter()
    site = os.path.dirname(os.path.dirname(django_file()))

    def line(frame, event, _arg):
        if event == "line":
            code = frame.f_code
            counts[(code.co_filename, code.co_name) if a.by_function else code.co_filename] += 1
        return line

    sys.settrace(lambda frame, event, _arg: line if event == "call" else None)
    for _ in range(a.n):
        call()
    sys.settrace(None)
    print(f"{a.path}: {sum(counts.values()) / a.n:.0f} Python lines per request (n={a.n})")
    for where, n in counts.most_common(a.top):
        print(f"{n / a.n:9.0f}  {str(where).replace(site + '/', '')}")


def django_file():
    import django

    return django.__file__


if __name__ == "__main__":
    main()
