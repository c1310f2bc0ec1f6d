# syntax=docker/dockerfile:1
# OpenDray images. Targets:
#   opendray       the binary (server, bundled Postgres, web UI), git, tini, curl
#   opendray-full  the same plus the five agent CLIs at the versions scripts/install-agent-clis.sh pins,
#                  Node.js to run them, ripgrep and openssh-client
# Build: scripts/opendray-docker build (or docker build --target opendray-full -t opendray:full .).
# BASE swaps the Debian base (any bookworm-compatible image with apt); NPM_REGISTRY points the npm and
# bun downloads at a mirror. Behind a TLS-intercepting proxy, mount its CA bundle at
# /run/build-ca.crt (podman build --volume …:/run/build-ca.crt:ro): the build steps trust it, the
# image does not keep it.
ARG BASE=docker.io/library/debian:bookworm-slim

# ---- deps: Bun from the npm registry and the dependencies (cached until bun.lock or Bun changes) ----
FROM ${BASE} AS deps
ARG TARGETARCH
ARG NPM_REGISTRY=https://registry.npmjs.org/
ARG BUN_VERSION=1.4.5
SHELL ["/bin/bash", "-euo", "pipefail", "-c"]
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates curl git >/dev/null \
 && rm -rf /var/lib/apt/lists/*
COPY docker/fetch-npm-tarball /usr/local/bin/
RUN case "${TARGETARCH:-$(dpkg --print-architecture)}" in \
      amd64) pkg=@oven/bun-linux-x64 ;; arm64) pkg=@oven/bun-linux-aarch64 ;; \
      *) echo "unsupported architecture ${TARGETARCH}" >&2; exit 1 ;; esac \
 && fetch-npm-tarball "$pkg" "$BUN_VERSION" /opt/bun \
 && ln -s /opt/bun/bin/bun /usr/local/bin/bun && bun --version
WORKDIR /src
COPY package.json bun.lock bunfig.toml tsconfig.json ./
RUN if [ -f /run/build-ca.crt ]; then export NODE_EXTRA_CA_CERTS=/run/build-ca.crt; fi \
 && BUN_CONFIG_REGISTRY="$NPM_REGISTRY" NPM_CONFIG_REGISTRY="$NPM_REGISTRY" bun install --frozen-lockfile

# ---- build: `bun run build` from the sources -------------------------------------------------------
FROM deps AS build
# Declared here, not above: a build argument's value is part of the cache key of every later RUN.
ARG OPENDRAY_COMMIT=
COPY . .
RUN OPENDRAY_BUILD_COMMIT="$OPENDRAY_COMMIT" bun run build && ./dist/opendray version

# ---- agents: Node.js, npm and the five agent CLIs (pinned in scripts/install-agent-clis.sh) --------
FROM ${BASE} AS agents
ARG TARGETARCH
ARG NPM_REGISTRY=https://registry.npmjs.org/
ARG NODE_VERSION=22.23.5
ARG NPM_VERSION=10.9.9
SHELL ["/bin/bash", "-euo", "pipefail", "-c"]
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates curl >/dev/null \
 && rm -rf /var/lib/apt/lists/*
COPY docker/fetch-npm-tarball /usr/local/bin/
RUN case "${TARGETARCH:-$(dpkg --print-architecture)}" in \
      amd64) arch=x64 ;; arm64) arch=arm64 ;; *) echo "unsupported architecture ${TARGETARCH}" >&2; exit 1 ;; esac \
 && fetch-npm-tarball "node-linux-$arch" "$NODE_VERSION" /opt/node \
 && fetch-npm-tarball npm "$NPM_VERSION" /opt/node/lib/node_modules/npm \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /opt/node/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /opt/node/bin/npx \
 && rm -f /opt/node/package.json
ENV PATH=/opt/node/bin:$PATH
COPY scripts/install-agent-clis.sh /tmp/
RUN if [ -f /run/build-ca.crt ]; then export NODE_EXTRA_CA_CERTS=/run/build-ca.crt; fi \
 && NPM_CONFIG_REGISTRY="$NPM_REGISTRY" NPM_CONFIG_UPDATE_NOTIFIER=false bash /tmp/install-agent-clis.sh /opt/agents \
 && rm -rf /root/.npm /tmp/*

# ---- opendray: the runtime ----------------------------------------------------------------------
FROM ${BASE} AS opendray
SHELL ["/bin/bash", "-euo", "pipefail", "-c"]
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates curl git procps tini >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 1000 opendray \
 && useradd --uid 1000 --gid 1000 --home-dir /home/opendray --create-home --shell /bin/bash opendray \
 && mkdir -p /data /workspace && chown opendray:opendray /data /workspace
COPY --from=build /src/dist/opendray /usr/local/bin/opendray
COPY docker/entrypoint.sh /usr/local/bin/opendray-entrypoint
ENV OPENDRAY_HOME=/data \
    OPENDRAY_IN_CONTAINER=1 \
    HOME=/home/opendray \
    USER=opendray \
    LANG=C.UTF-8 \
    LISTEN_ADDR=0.0.0.0:8640 \
    PUID=1000 \
    PGID=1000
# /data: config.toml, the bundled Postgres, session output. /home/opendray: the agents' own logins
# (~/.claude, ~/.claude.json, ~/.codex, ~/.gemini, ~/.config/opencode, ~/.qwen) — keep it writable.
VOLUME ["/data", "/home/opendray"]
WORKDIR /workspace
EXPOSE 8640
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${LISTEN_ADDR##*:}/api/health" >/dev/null || exit 1
ENTRYPOINT ["tini", "-g", "--", "opendray-entrypoint"]
CMD ["opendray", "serve"]

# ---- opendray-full: plus every agent CLI -----------------------------------------------------------
FROM opendray AS opendray-full
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-client ripgrep >/dev/null \
 && rm -rf /var/lib/apt/lists/*
COPY --from=agents /opt/node /opt/node
COPY --from=agents /opt/agents /opt/agents
COPY docker/claude-onboarded /usr/local/bin/
# The CLIs come with the image: an update is a new image (scripts/opendray-docker update).
ENV PATH=/opt/agents/bin:/opt/node/bin:$PATH \
    DISABLE_AUTOUPDATER=1
