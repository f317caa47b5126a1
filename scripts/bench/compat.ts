// The compatibility gate's working-tree check, in-process: the repository as it is (every
// subject equal to its release) and a temp copy where every subject changed and has three
// releases (18 schema comparisons). Prints medians and writes dist/bench/compat.json.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listReleased, readSnapshot, writeSnapshots } from '../compat/registry.js';
import { checkWorkingTree } from '../compat/working-tree.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RUNS = 21;

/** A copy of contracts/ where a shared enum and a shared description changed and every subject is 1.1.0. */
function changedCopy(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'compat-bench-'));
  cpSync(path.join(rootDir, 'contracts'), path.join(root, 'contracts'), { recursive: true });
  for (const [subject, versions] of listReleased(root)) {
    const base = readSnapshot(root, subject, versions[versions.length - 1] as string);
    writeSnapshots(root, [
      { ...base, version: '1.0.1' },
      { ...base, version: '1.0.2' },
    ]);
  }
  const common = path.join(root, 'contracts/common/schemas.yaml');
  writeFileSync(
    common,
    readFileSync(common, 'utf8')
      .replace('enum: [futures, fx, crypto]', 'enum: [futures, fx, crypto, equity]')
      .replace('description: Direction of an order', 'description: The direction of an order'),
  );
  for (const domain of ['alerts', 'decisions', 'executions', 'signals']) {
    const file = path.join(root, `contracts/${domain}/${domain}.asyncapi.yaml`);
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('x-version: 1.0.0', 'x-version: 1.1.0'));
  }
  return root;
}

function medianMs(run: () => void): number {
  run(); // warm-up: module caches, first YAML parse
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] as number;
}

const copy = changedCopy();
try {
  const figures = {
    repositoryMs: medianMs(() => checkWorkingTree(rootDir, { git: false })),
    repositoryWithGitMs: medianMs(() => checkWorkingTree(rootDir)),
    changedThreeReleasesMs: medianMs(() => checkWorkingTree(copy, { git: false })),
  };
  console.log('working-tree check, median of %d runs:', RUNS);
  console.log(`  repository, registry only          ${figures.repositoryMs.toFixed(1)} ms`);
  console.log(`  repository, with the merge base    ${figures.repositoryWithGitMs.toFixed(1)} ms`);
  console.log(`  every subject changed, 3 releases  ${figures.changedThreeReleasesMs.toFixed(1)} ms`);
  const outDir = path.join(rootDir, 'dist/bench');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'compat.json'), `${JSON.stringify({ runs: RUNS, ...figures }, null, 2)}\n`);
} finally {
  rmSync(copy, { recursive: true, force: true });
}
