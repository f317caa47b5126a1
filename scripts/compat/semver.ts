// The three-number semver the contracts use (`x-version: 1.2.3`, no pre-release tags).

export type Bump = 'major' | 'minor' | 'patch';

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

export function isSemver(version: string): boolean {
  return SEMVER.test(version);
}

export function parseSemver(version: string): [number, number, number] {
  const match = SEMVER.exec(version);
  if (!match) throw new Error(`not a MAJOR.MINOR.PATCH version: ${version}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export function majorOf(version: string): number {
  return parseSemver(version)[0];
}

export function compareSemver(a: string, b: string): number {
  const [x, y] = [parseSemver(a), parseSemver(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

export function sortSemver(versions: Iterable<string>): string[] {
  return [...versions].sort(compareSemver);
}

export function bumpSemver(version: string, bump: Bump): string {
  const [major, minor, patch] = parseSemver(version);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}
