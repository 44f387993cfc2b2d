# SAPA in a container (Node.js 24 LTS on Debian bookworm).
#
# Not built or run by this project's CI: the development and CI machines have no Docker
# engine. test/deploy/deploy.test.ts reads this file and checks what it can without one
# (base image, non-root user, port, volume, command); the steps are the same ones the
# CI runs on Node 24 (`npm ci` without install scripts, better-sqlite3 rebuilt, build).
#
#   docker build -t sapa .
#   docker run -d --name sapa --restart unless-stopped --env-file .env \
#     -p 127.0.0.1:3000:3000 -v sapa-data:/var/lib/sapa sapa
#   docker exec -it sapa node bin/sapa.js staff add budi --role admin --password-stdin
#
# The database lives in the volume /var/lib/sapa (SAPA_DB); the knowledge base
# (intents/) and data/ (office profile, SLA, holidays) are part of the image, so an
# update is a rebuild. Put an HTTPS proxy in front (deploy/nginx.conf).

# ---- build: compile better-sqlite3 and the TypeScript --------------------------------
FROM node:24-bookworm-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Only better-sqlite3's install script is needed (package.json "allowScripts").
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- run ------------------------------------------------------------------------------
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    SAPA_DB=/var/lib/sapa/sapa.db
RUN groupadd --system sapa \
 && useradd --system --gid sapa --home-dir /var/lib/sapa --no-create-home --shell /usr/sbin/nologin sapa \
 && mkdir -p /var/lib/sapa \
 && chown sapa:sapa /var/lib/sapa \
 && chmod 0700 /var/lib/sapa
WORKDIR /app
# The program stays owned by root: the bot cannot change its own code.
COPY --from=build /app /app
USER sapa
VOLUME ["/var/lib/sapa"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
# umask 077: the database, its WAL and backups are readable by sapa only.
CMD ["/bin/sh", "-c", "umask 077 && exec node bin/sapa.js start"]
