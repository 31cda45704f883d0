"""The web part of the benchmark: a PostgreSQL database with a million human
tasks, 50 locust clients against gunicorn as docker-compose runs it, and the
latency from a sign-off in the web app to the next inbox and to Prefect."""
