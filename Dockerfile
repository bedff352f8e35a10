# logmetrics as a container image. Build it from a checkout:
#
#   docker build -t registry.example.com/logmetrics:0.1.0 .
#
# and run it with the programs (or a config file) and the logs mounted:
#
#   docker run -d -p 3903:3903 \
#     -v "$PWD/programs:/etc/logmetrics/programs:ro" \
#     -v /var/log/nginx:/var/log/nginx:ro \
#     -v logmetrics-state:/var/lib/logmetrics \
#     registry.example.com/logmetrics:0.1.0 \
#     run --progs=/etc/logmetrics/programs --logs=/var/log/nginx/access.log --port=3903 --state-dir=/var/lib/logmetrics
#
# Paths in the image: programs /etc/logmetrics/programs, a config file
# /etc/logmetrics/logmetrics.yml (run --config ...), read positions
# /var/lib/logmetrics (owned by the image's user, so a named volume is
# writable). deploy/kubernetes/ uses this image.

# Both stages on one base: re2 is a native addon built against this Node and glibc.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# re2's install script downloads a prebuilt binary when it can and compiles
# RE2 from source when it cannot: keep a C++ toolchain for the second case.
RUN apt-get update \
 && apt-get install -y --no-install-recommends g++ make python3 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --no-audit --no-fund
COPY bin/ bin/
COPY src/ src/
COPY programs/ programs/
COPY deploy/ deploy/
COPY README.md ./
# npm pack builds (prepack: tsc and the esbuild bundle) and writes the tarball
# users install; installing it into a prefix gives the layout `npm install -g`
# gives, with production dependencies only. The last two commands prove it runs.
RUN npm pack --silent \
 && npm install --global --prefix /opt/logmetrics --no-audit --no-fund ./logmetrics-*.tgz \
 && /opt/logmetrics/bin/logmetrics --version \
 && /opt/logmetrics/bin/logmetrics check /opt/logmetrics/lib/node_modules/logmetrics/programs

FROM ${NODE_IMAGE}
LABEL org.opencontainers.image.title="logmetrics" \
      org.opencontainers.image.description="Turn log files into Prometheus metrics with mtail programs" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /opt/logmetrics /opt/logmetrics
ENV PATH=/opt/logmetrics/bin:$PATH \
    NODE_ENV=production
# 65534 is nobody:nogroup in Debian. A numeric USER lets Kubernetes check
# runAsNonRoot without a runAsUser.
RUN mkdir -p /etc/logmetrics/programs /var/lib/logmetrics \
 && chown 65534:65534 /var/lib/logmetrics
USER 65534:65534
WORKDIR /var/lib/logmetrics
EXPOSE 3903
# No curl in the slim image: node asks /healthz. Set LOGMETRICS_HEALTHZ_URL
# when logmetrics listens elsewhere than 127.0.0.1:3903 (with --web.config.file
# TLS, point it at a plain listener or override the health check).
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "require('http').get(process.env.LOGMETRICS_HEALTHZ_URL || 'http://127.0.0.1:3903/healthz', (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"]
ENTRYPOINT ["logmetrics"]
CMD ["run", "--progs=/etc/logmetrics/programs", "--logs=/var/log/*.log", "--port=3903", "--state-dir=/var/lib/logmetrics"]
