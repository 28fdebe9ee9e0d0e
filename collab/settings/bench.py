"""`make bench` only: the production settings, plus the framework's ceiling view and a response
header with the SQL queries each request ran. Nothing else differs from production.

The query counter is the outermost middleware, so it sees every query of the request (the
session, the user and the MFA check included) and both the ceiling and the pages pass through
exactly the same stack (see bench/middleware.py and bench/urls.py).
"""

from collab.settings.production import *  # noqa: F403
from collab.settings.production import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
