// Vite config of the public web app. Build: `npx vite build packages/web` → packages/web/dist.
// Dev: `npx vite packages/web` (API calls under /api go to the server on 127.0.0.1:8080).
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The built page may load code, styles and data from its own origin only: no font, CDN or analytics
 * can ever be added by mistake, and an injected script could not send anything elsewhere.
 * 'wasm-unsafe-eval': hash-wasm compiles its embedded WebAssembly (MD5, SHA-256).
 * blob: images are the local thumbnails (object URLs of the person's own files).
 * Only in the build: the dev server injects inline scripts for hot reload.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "worker-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'halte-content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
    ],
  };
}

export default defineConfig({
  root,
  plugins: [react(), contentSecurityPolicy()],
  resolve: {
    // Workspace packages (@halte/contract, @halte/pdq) from their TypeScript sources, as in the tests.
    conditions: ['source', ...defaultClientConditions],
  },
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
