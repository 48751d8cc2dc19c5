# syntax=docker/dockerfile:1
# The portal's production image: one image for the web process (gunicorn), the Celery workers and beat.
# Build: docker build -t zelfbeheer .   Run: see docker-compose.yml and .env.example.

# --- Front-end assets: NL Design System CSS and htmx, copied from node_modules into static/vendor ---
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY scripts/copy-assets.mjs scripts/
RUN node scripts/copy-assets.mjs

# --- Translations: the committed .po catalogues compiled to the .mo files Django reads ---
FROM debian:bookworm-slim AS translations
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY locale locale
RUN find locale -name '*.po' -exec sh -c \
        'for po; do msgfmt --check-format -o "${po%.po}.mo" "$po" || exit 1; done' sh {} +

# --- The application ---
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=zelfbeheer.settings.production

# WeasyPrint (monthly PDF reports) loads Pango and HarfBuzz at run time; DejaVu is the PDF font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir "uv==0.13.9"

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home app

WORKDIR /app

# Python dependencies first (cached while only the code changes), exactly as locked, without dev tools.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-cache

# Only what the portal runs on: no .env, no local var/ (databases), no .venv or node_modules from the host.
COPY manage.py ./
COPY zelfbeheer zelfbeheer
COPY tickets tickets
COPY social social
COPY budget budget
COPY templates templates
COPY static static
COPY --from=assets /build/static/vendor static/vendor
COPY --from=translations /build/locale locale

# Static files are collected into the image (whitenoise serves them). Production settings insist on a
# SECRET_KEY and a DATABASE_URL; these dummies exist only for this one command and are not in the image.
RUN SECRET_KEY=collectstatic-only-not-a-secret-collectstatic-only-not-a-secret \
    DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    python manage.py collectstatic --noinput \
    && rm -f /tmp/collectstatic.sqlite3

# var/media (uploads, PDF reports) and var/beat (Celery beat's schedule) are volumes owned by the app user.
RUN mkdir -p var/media var/beat && chown -R app:app var

USER app

EXPOSE 8000

CMD ["gunicorn", "zelfbeheer.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
