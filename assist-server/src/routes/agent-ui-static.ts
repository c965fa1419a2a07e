/** Serves the built agent UI (agent-ui/dist) at `/`, with index.html for client-side routes. */
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export async function agentUiStatic(app: FastifyInstance, options: { distDir: string }): Promise<void> {
  if (!existsSync(`${options.distDir}/index.html`)) {
    app.log.warn({ distDir: options.distDir }, 'agent UI is not built; run "npm run setup" (or npm run build -w @earpiece/agent-ui)');
    app.get('/', async (_req, reply) =>
      reply.type('text/plain').code(503).send('The agent UI is not built yet. Run "npm run setup", then restart Earpiece.\n'),
    );
    return;
  }
  await app.register(fastifyStatic, { root: options.distDir, wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    if (req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/ws/') && !req.url.startsWith('/ingest')) {
      return reply.sendFile('index.html');
    }
    return reply.code(404).send({ code: 'EARPIECE_NOT_FOUND', message: `no route ${req.method} ${req.url}` });
  });
}
