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
# Uploaded media (campaigns); docker-compose.yml mounts a volume shared by all replicas here.
RUN mkdir -p /data/media && chown node:node /data/media
USER node
ARG APP=gateway
ENV APP=${APP}
CMD ["sh", "-c", "exec node dist/apps/${APP}/main.js"]
