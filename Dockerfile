# npsbot: `docker build -t npsbot .` then `docker run --env-file .env -p 3000:3000 npsbot`.
# Two stages: the build tools and pip's cache stay in the first; the image holds a venv only.

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/npsbot
COPY pyproject.toml README.md requirements.lock ./
# The locked, hash-checked dependencies first: this layer is cached until the lock changes.
RUN /opt/npsbot/bin/pip install --require-hashes -r requirements.lock
COPY bot ./bot
COPY store ./store
# Not editable: the venv must work without /src, which the next stage leaves behind.
RUN /opt/npsbot/bin/pip install --no-deps . \
 && find /opt/npsbot -name '__pycache__' -prune -exec rm -rf {} +

FROM python:3.11-slim-bookworm
ENV PATH=/opt/npsbot/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    NPS_CONFIG=/etc/npsbot/nps.toml \
    DATABASE_URL=sqlite:////var/lib/npsbot/npsbot.db
RUN groupadd --system --gid 10001 npsbot \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/npsbot --create-home npsbot \
 && mkdir -p /etc/npsbot
COPY --from=build /opt/npsbot /opt/npsbot
# By number: a host or Kubernetes' runAsNonRoot can check it without the image's /etc/passwd.
USER 10001:10001
WORKDIR /var/lib/npsbot
EXPOSE 3000
# /healthz answers 200 only when the database does; no curl in a slim image, so Python asks.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os,urllib.request as u; u.urlopen(f\"http://127.0.0.1:{os.environ['PORT']}/healthz\", timeout=4)"]
# Exec form: npsbot is PID 1 and gets SIGTERM itself; aiohttp's run_app shuts down gracefully
# on it. `docker run npsbot migrate` (or export, teams-package) replaces the default command.
STOPSIGNAL SIGTERM
ENTRYPOINT ["npsbot"]
CMD ["serve"]
