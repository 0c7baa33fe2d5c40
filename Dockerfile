# One image for the four services; docker-compose.yml runs each in its own
# container with `scripts/start.mjs --only <service>`, the same launcher and
# wiring as `npm start`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
COPY package.json package-lock.json turbo.json tsconfig.base.json biome.json ./
COPY packages packages
COPY apps apps
COPY e2e/package.json e2e/package.json
RUN npm ci --no-audit --no-fund \
  && npx turbo run build \
  && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 ATTEST_DATA_DIR=/data
COPY --from=build /app /app
COPY scripts scripts
# The account volume and the two volumes attest publishes into (docker-compose.yml) are
# created from these directories, owned by the unprivileged user; the token secrets' 0700.
RUN mkdir -p /data /attest-public /token-secrets \
  && chown node:node /data /attest-public /token-secrets \
  && chmod 0700 /data /token-secrets
USER node
EXPOSE 8000 8001 8002 8003
CMD ["node", "scripts/start.mjs", "--no-build", "--only", "web"]
