// `make docs`: the integrators' HTML documentation, built from asyncapi.yaml with the
// AsyncAPI HTML template pinned in package.json (nothing is fetched at generation time).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStep } from './support/progress.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildDocs(outputDir: string, document = path.join(rootDir, 'asyncapi.yaml')): Promise<void> {
  if (!existsSync(document)) throw new Error(`${document} not found: run \`make generate\` first`);
  mkdirSync(outputDir, { recursive: true });
  const cli = path.join(rootDir, 'node_modules', '.bin', 'asyncapi');
  const step = startStep(`rendering ${path.relative(rootDir, document)} with @asyncapi/html-template (the AsyncAPI CLI takes 20-60 s)`, {
    prefix: '[docs] ',
  });
  const child = spawn(
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
      env: {
        ...process.env,
        PUPPETEER_SKIP_DOWNLOAD: '1',
        ASYNCAPI_METRICS_CONFIG_PATH: process.env.ASYNCAPI_METRICS_CONFIG_PATH ?? path.join(rootDir, '.asyncapi-analytics'),
      },
    },
  );
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  step.done(status === 0 ? 'written' : `failed (exit ${status})`);
  if (status !== 0) throw new Error(`asyncapi generate failed (exit ${status}):\n${output}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outputDir = path.resolve(rootDir, process.argv[2] ?? 'dist/docs');
  await buildDocs(outputDir);
  console.log(`docs written to ${path.relative(rootDir, outputDir)}/index.html`);
}
