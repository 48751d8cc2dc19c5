#!/usr/bin/env bash
# Runs the portal: a Celery worker with embedded beat beside Django's development server.
# Stopping the server (Ctrl-C) stops the worker too.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
celery -A zelfbeheer worker --beat --queues default,pdf --concurrency 2 --loglevel INFO \
  --schedule var/celerybeat-schedule &
worker_pid=$!
trap 'kill "$worker_pid" 2>/dev/null || true; wait "$worker_pid" 2>/dev/null || true' EXIT INT TERM
echo "The portal runs at http://127.0.0.1:8000 (demo logins above). Stop with Ctrl-C."
python manage.py runserver 127.0.0.1:8000
