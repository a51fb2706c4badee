# One image for all five apps; the app is picked at run time (docker-compose.yml sets
# `command`), or with --build-arg APP=<name> for a single-app image:
#   docker build -t campaign-platform . && docker run campaign-platform node dist/apps/executor/main.js
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Uploaded media (campaigns) and spooled CSV imports (gateway → leads); docker-compose.yml
# mounts volumes shared by the replicas there.
RUN mkdir -p /data/media /data/imports && chown node:node /data/media /data/imports
USER node
ARG APP=gateway
ENV APP=${APP}
CMD ["sh", "-c", "exec node dist/apps/${APP}/main.js"]
