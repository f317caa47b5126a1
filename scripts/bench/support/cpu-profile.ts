// CPU profile summary for the benches' BENCH_PROFILE=1: self time by function and by area (file
// or npm package), and inclusive time of the platform's own code, per unit of work (a request,
// an intent).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** The parts of a V8 `.cpuprofile` the summary reads. */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export class ProfileSummary {
  totalUs = 0;
  units = 0;
  readonly self = new Map<string, number>();
  readonly inclusive = new Map<string, number>();
  readonly areas = new Map<string, number>();

  /** `unit` names the work counted (`req`, `intent`); `thread` the profiled thread, for the heading. */
  constructor(
    readonly target: string,
    readonly unit: string,
    readonly thread: string,
  ) {}

  add(profile: CpuProfile, units: number): void {
    this.units += units;
    const selfById = new Map<number, number>();
    profile.samples.forEach((id, i) => {
      const dt = profile.timeDeltas[i] ?? 0;
      selfById.set(id, (selfById.get(id) ?? 0) + dt);
      this.totalUs += dt;
    });
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const walk = (node: ProfileNode, stack: Set<string>) => {
      const { functionName, url, lineNumber } = node.callFrame;
      const file = shortUrl(url);
      const key = `${functionName || '(anonymous)'} ${file}${url ? `:${lineNumber + 1}` : ''}`;
      const own = selfById.get(node.id) ?? 0;
      bump(this.self, key, own);
      bump(this.areas, areaOf(file, functionName), own);
      // A recursive function counts once per stack in its inclusive time.
      const added = !stack.has(key);
      if (added) stack.add(key);
      if (own > 0) for (const k of stack) bump(this.inclusive, k, own);
      for (const child of node.children ?? []) {
        const next = byId.get(child);
        if (next) walk(next, stack);
      }
      if (added) stack.delete(key);
    };
    if (profile.nodes[0]) walk(profile.nodes[0], new Set());
  }

  print(): void {
    const per = Math.max(1, this.units);
    const row = (us: number) =>
      `${((100 * us) / Math.max(1, this.totalUs)).toFixed(1).padStart(5)}% ${(us / per).toFixed(1).padStart(6)} us/${this.unit}`;
    const top = (map: Map<string, number>, n: number, keep: (key: string) => boolean = () => true) =>
      [...map.entries()]
        .filter(([key]) => keep(key))
        .sort((a, b) => b[1] - a[1])
        .slice(0, n);
    console.log(
      `\nCPU profile of the ${this.thread} during the ${this.target} runs: ${(this.totalUs / 1e6).toFixed(1)} s sampled, ` +
        `${this.units} ${this.unit}s, ${(this.totalUs / per).toFixed(0)} us of thread time per ${this.unit} (idle included)`,
    );
    console.log('self time by area:');
    for (const [area, us] of top(this.areas, 16)) console.log(`  ${row(us)}  ${area}`);
    console.log('self time by function:');
    for (const [key, us] of top(this.self, 25)) console.log(`  ${row(us)}  ${key}`);
    console.log('inclusive time of the platform code (services/, generated/, the bench script):');
    for (const [key, us] of top(this.inclusive, 30, (key) => /\b(services|generated)\/|scripts\/bench/.test(key)))
      console.log(`  ${row(us)}  ${key}`);
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  if (by > 0) map.set(key, (map.get(key) ?? 0) + by);
}

function shortUrl(url: string): string {
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const inModules = file.lastIndexOf('node_modules/');
  if (inModules >= 0) return file.slice(inModules + 'node_modules/'.length);
  return file.startsWith(rootDir) ? path.relative(rootDir, file) : file;
}

function areaOf(file: string, functionName: string): string {
  if (!file) return functionName.startsWith('(') ? functionName : '(native/builtin)';
  if (file.startsWith('node:')) return file.split('/').slice(0, 2).join('/');
  if (!file.startsWith('services/') && !file.startsWith('generated/') && !file.startsWith('scripts/')) {
    const parts = file.split('/');
    return `npm ${parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  return file.split('/').slice(0, 3).join('/');
}
