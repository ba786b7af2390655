"""What one request to each page costs inside Django: the number of database
queries and the server time (median of a few requests, in-process through
django.test.Client and the whole middleware stack, no HTTP). Printed beside
the load figures by bench/table.py, it tells what limits a page: many
queries, or time spent in Python (templates, forms).

Run in a prepared site's environment (bench/table.py does):
    python bench/pagecost.py LOGIN_EMAIL PATH [PATH ...]
A path that starts with "@" is requested logged in as LOGIN_EMAIL. Prints
JSON {path: [queries, median ms, status]} on its last line.
"""

import json
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REQUESTS = 5
HOST = "localhost"


def cost(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # compiles the templates, fills the page cache, if any
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    queries = len(captured)
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return [queries, round(statistics.median(times), 1), response.status_code]


def main(argv):
    import django

    django.setup()
    from django.test import Client

    from accounts.models import User

    email, *paths = argv
    anonymous, logged_in = Client(HTTP_HOST=HOST), Client(HTTP_HOST=HOST)
    logged_in.force_login(User.objects.get(email=email))
    costs = {}
    for path in paths:
        if path.startswith("@"):
            costs[path] = cost(logged_in, path[1:])
        else:
            costs[path] = cost(anonymous, path)
    print(json.dumps(costs))


if __name__ == "__main__":
    main(sys.argv[1:])
