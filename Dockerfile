# logchain's container image.
#
#   docker build -t logchain .
#   gunicorn app.wsgi 2>&1 | docker run -i --rm logchain      # a filter
#   (as a base or copied into an app image: deploy/docker/Dockerfile.app)
#
# Build stage: the Debian packages from tools/bootstrap (the one list the
# README and CI use), then tools/release: the release preset is built and
# every test runs against it, so a broken build yields no image.
FROM debian:bookworm AS build
WORKDIR /src
COPY . .
RUN sh tools/release && mkdir -p patterns

# Final stage: the binary, the shared libraries it links (Debian's runtime
# packages of the -dev packages it is built with) and the pattern files, run
# as an unprivileged user.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libre2-9 libsimdjson14 libtomlplusplus3 zlib1g \
      libprometheus-cpp-core1.0 libprometheus-cpp-pull1.0 libcivetweb1 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/release/logchain /usr/local/bin/logchain
COPY --from=build /src/patterns/ /usr/share/logchain/patterns/
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin logchain
USER 10001
ENTRYPOINT ["logchain"]
