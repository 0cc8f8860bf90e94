# One image for the web process (gunicorn) and the task worker (django-tasks database worker).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=kb.settings.production PORT=8000

RUN useradd --create-home --uid 1000 kb
WORKDIR /app

COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY --chown=kb:kb . .
RUN python manage.py compile_translations \
 && python -m search.lexicon \
 && SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput

USER kb
EXPOSE 8000
CMD ["sh", "-c", "gunicorn kb.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
