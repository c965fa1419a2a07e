/**
 * Gzipped size of the agent UI's JavaScript from agent-ui/dist: the chunks index.html loads up front
 * (its module script and modulepreload links), every JS chunk, and any named subset (e.g. what the
 * browser actually fetched). zlib gzip at its default level, as a server would send it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ChunkSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export function chunkSize(distDir: string, file: string): ChunkSize {
  const source = readFileSync(join(distDir, 'assets', basename(file)));
  return { file: basename(file), bytes: source.length, gzipBytes: gzipSync(source).length };
}

/** JS files index.html makes the browser load before any lazy import. */
export function initialChunks(distDir: string): string[] {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const files = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+\.js)"/g)) files.add(basename(m[1]!));
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)) files.add(basename(m[1]!));
  return [...files];
}

export function allChunks(distDir: string): string[] {
  return readdirSync(join(distDir, 'assets')).filter((f) => f.endsWith('.js'));
}

export const sumGzip = (sizes: ChunkSize[]) => sizes.reduce((n, s) => n + s.gzipBytes, 0);
