# Arauto's API and worker: one image, two commands (docker-compose.yml). Build: docker build -t arauto .
# Runs the TypeScript sources with tsx, as `npm start` does: no build step whose output could drift from them.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY workflows ./workflows
COPY activities ./activities
COPY notifications ./notifications
COPY providers ./providers
COPY api ./api
COPY worker ./worker
COPY lib ./lib
# operators' tools: accounts (npm run account) and replays (npm run replay), run with `docker compose run`
COPY scripts/account.ts scripts/portal.ts scripts/replay.ts scripts/localStack.ts ./scripts/
USER node
CMD ["node", "--import", "tsx", "api/main.ts"]
