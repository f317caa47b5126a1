// `make docs`: the integrators' HTML documentation, built from asyncapi.yaml with the
// AsyncAPI HTML template pinned in package.json (nothing is fetched at generation time).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function buildDocs(outputDir: string, document = path.join(rootDir, 'asyncapi.yaml')): void {
  if (!existsSync(document)) throw new Error(`${document} not found: run \`make generate\` first`);
  mkdirSync(outputDir, { recursive: true });
  const cli = path.join(rootDir, 'node_modules', '.bin', 'asyncapi');
  const result = spawnSync(
    cli,
    [
      'generate',
      'fromTemplate',
      document,
      '@asyncapi/html-template',
      '-o',
      outputDir,
      '--force-write',
      '--no-interactive',
      '-p',
      'singleFile=true',
    ],
    {
      cwd: rootDir,
      encoding: 'utf8',
      env: {
        ...process.env,
        PUPPETEER_SKIP_DOWNLOAD: '1',
        ASYNCAPI_METRICS_CONFIG_PATH: process.env.ASYNCAPI_METRICS_CONFIG_PATH ?? path.join(rootDir, '.asyncapi-analytics'),
      },
    },
  );
  if (result.status !== 0) {
    throw new Error(`asyncapi generate failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outputDir = path.resolve(rootDir, process.argv[2] ?? 'dist/docs');
  buildDocs(outputDir);
  console.log(`docs written to ${path.relative(rootDir, outputDir)}/index.html`);
}
