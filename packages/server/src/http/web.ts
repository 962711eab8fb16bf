// The web app (packages/web, built by `npm run build`) served from the same origin as the API, so the
// CSP can say 'self' and nothing else. Unknown /api routes answer JSON 404; other paths get the app.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

import { apiError } from './errors.js';

export const WEB_ROOT = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export function registerWebApp(app: FastifyInstance, root = WEB_ROOT): void {
  const built = existsSync(`${root}index.html`);
  if (built) {
    void app.register(fastifyStatic, { root, wildcard: false, index: ['index.html'], cacheControl: true, maxAge: '1h', immutable: false });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/api') || request.method !== 'GET' || !built) {
      return reply.code(404).send(apiError('NOT_FOUND', built || path.startsWith('/api') ? 'no such route' : 'the web app is not built: run "npm run build"'));
    }
    // a route of the single-page app: the page decides
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
