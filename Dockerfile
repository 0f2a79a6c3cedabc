# chat-server in a container: built with a compiler, run without one, as the
# unprivileged `node` user, with history in /data (a volume).
#   docker build -t chat-server .
#   docker run -p 50051:50051 -v chat-data:/data chat-server
# deploy/compose.yaml runs two of them sharing Redis.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build the TUI too; only the server is needed here.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json ./
COPY protos protos
COPY server server
RUN npx tsc -p tsconfig.json && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    CHAT_HOST=0.0.0.0 \
    CHAT_STORE=sqlite:/data/chat.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist/server dist/server
COPY --from=build /app/dist/protos dist/protos
COPY --from=build /app/protos/chat.proto protos/chat.proto
RUN mkdir /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 50051 9464
# The standard gRPC health service, asked by chat-server itself (127.0.0.1:$CHAT_PORT, else 50051).
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 CMD ["node", "dist/server/main.js", "health"]
ENTRYPOINT ["node", "dist/server/main.js"]
