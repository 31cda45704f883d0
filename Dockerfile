# One image for the web app, the flow runner, Prefect's server and migrations
# (docker-compose.yml picks the command). Python 3.11 as in pyproject.toml.

# GOV.UK Frontend's assets come from npm, pinned by package-lock.json.
FROM node:22-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PREFECT_HOME=/home/oversight/.prefect \
    TZ=Europe/London
RUN useradd --create-home --uid 10001 oversight
WORKDIR /app

# Dependencies first, so a code change does not reinstall them; the same
# versions as development and CI (requirements.lock).
COPY pyproject.toml requirements.lock ./
RUN mkdir -p policy models tasks flows deployments webapp \
    && pip install -c requirements.lock . \
    && pip uninstall -y oversight

COPY . .
COPY --from=assets /src/node_modules ./node_modules
# Editable, so alembic.ini and the migrations are found beside the code;
# --no-deps: everything was installed above.
RUN pip install --no-deps -e . \
    && mkdir -p webapp/static \
    && bash scripts/build_assets.sh \
    && rm -rf node_modules \
    && chown -R oversight:oversight /app

USER oversight
EXPOSE 8000 4200
CMD ["gunicorn", "--bind=0.0.0.0:8000", "webapp:create_app()"]
