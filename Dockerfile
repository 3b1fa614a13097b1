# Tocsin's container image: a drop-in for quay.io/prometheus/alertmanager. Same ENTRYPOINT (/bin/alertmanager,
# here Tocsin's server), same CMD flags, same paths (/etc/alertmanager/alertmanager.yml, /alertmanager), same
# port (9093) and volume, and a non-root user, so prometheus-operator can run it with `spec.image` (it passes its
# own Alertmanager flags as args) and Helm charts and compose files keep working. /bin/amtool is tocsinctl.
# Not built or run by this repository's tests (no container engine there); test/deploy/deploy.test.ts checks the
# COPY sources exist and the command is the one README.md documents.
#
#   docker build -t tocsin .
#   docker run -p 9093:9093 -v tocsin-data:/alertmanager tocsin

# --- build: compile TypeScript and the web UI, then keep only the runtime dependencies ---
FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles from source when its prebuilt binary cannot be downloaded
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
# install scripts off (the `prepare` build needs the sources, copied below); then build the native module
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
RUN npm run build && npm prune --omit=dev

# --- runtime ---
FROM node:20-bookworm-slim
LABEL org.opencontainers.image.title="Tocsin" \
      org.opencontainers.image.description="Alert routing and notification service: a drop-in replacement for Prometheus Alertmanager" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production
WORKDIR /opt/tocsin
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/src/ui/dist ./src/ui/dist
COPY --from=build /src/bin ./bin
COPY config/tocsin.yml /etc/alertmanager/alertmanager.yml
RUN ln -s /opt/tocsin/bin/tocsin /bin/alertmanager \
 && ln -s /opt/tocsin/bin/tocsinctl /bin/amtool \
 && ln -s /opt/tocsin/bin/tocsin /bin/tocsin \
 && ln -s /opt/tocsin/bin/tocsinctl /bin/tocsinctl \
 && mkdir -p /alertmanager \
 && chown -R nobody:nogroup /etc/alertmanager /alertmanager \
 && chmod -R g+w /alertmanager

USER       nobody
EXPOSE     9093
VOLUME     [ "/alertmanager" ]
WORKDIR    /alertmanager
# /-/healthy on the default listen address; with another --web.listen-address or --web.route-prefix, set
# HEALTHCHECK_URL (or rely on the orchestrator's probes, as prometheus-operator does)
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD [ "node", "-e", "fetch(process.env.HEALTHCHECK_URL || 'http://127.0.0.1:9093/-/healthy').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))" ]
ENTRYPOINT [ "/bin/alertmanager" ]
CMD        [ "--config.file=/etc/alertmanager/alertmanager.yml", \
             "--storage.path=/alertmanager" ]
