# Arauto's API and worker (one image, two commands). Build: docker build -t arauto .
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json ./
COPY workflows ./workflows
COPY activities ./activities
COPY api ./api
COPY worker ./worker
COPY lib ./lib
ENV NODE_ENV=production
USER node
CMD ["npx", "tsx", "api/main.ts"]
