# Multi-stage: wheels are built in the first stage; the runtime image holds no compiler and runs as a plain user.
FROM python:3.11-slim AS build
WORKDIR /build
COPY requirements.txt .
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_DEBUG=False DJANGO_MEDIA_ROOT=/data/media
RUN groupadd --system app && useradd --system --gid app --home /app app \
    && mkdir -p /app /data/media && chown app:app /data/media
WORKDIR /app
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels /wheels/* && rm -rf /wheels
COPY --chown=app:app . .
# Static files are collected at build time and served by whitenoise (or nginx from the shared volume).
RUN DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput -v0
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
