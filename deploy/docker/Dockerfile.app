# A Django app served by gunicorn, with logchain as the wrapper: every line
# gunicorn and the app print becomes structlog-style JSON on stdout, and
# signals and the exit code pass through (no shell pipe in between).
#
#   docker build -t logchain .                                   # in the repository root
#   docker build -t myapp -f deploy/docker/Dockerfile.app deploy/docker
#   docker run --rm -p 8000:8000 myapp
FROM logchain
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-django python3-gunicorn \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /srv
COPY app/ /srv/
USER 10001
EXPOSE 8000
# logchain is PID 1: it forwards docker stop's SIGTERM to gunicorn, reaps
# orphans, and exits with gunicorn's status.
ENTRYPOINT []
CMD ["logchain", "--", "gunicorn", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "app.wsgi"]
