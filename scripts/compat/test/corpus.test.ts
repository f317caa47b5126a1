// The corpus against the engine (verdicts and rule ids), and the corpus against an instance-level
// oracle (ajv on probe instances) so that a wrong verdict in the corpus itself is caught.
import { describe, expect, it } from 'vitest';
import { diffSchemas } from '../schema-diff.js';
import type { Direction, SchemaFinding } from '../types.js';
import { CORPUS, type CorpusCase } from './corpus.js';
import { closeOpenModels, Oracle, probesFor } from './oracle.js';

const RULE_IDS = new Set([
  'none',
  'type-changed',
  'type-widened',
  'type-narrowed',
  'required-added',
  'required-removed',
  'property-added',
  'property-removed',
  'additional-properties-changed',
  'pattern-properties-changed',
  'enum-extended',
  'enum-narrowed',
  'enum-added',
  'enum-removed',
  'const-added',
  'const-removed',
  'const-changed',
  'min-length-changed',
  'max-length-changed',
  'pattern-added',
  'pattern-removed',
  'pattern-changed',
  'format-added',
  'format-removed',
  'format-changed',
  'minimum-changed',
  'maximum-changed',
  'multiple-of-changed',
  'items-changed',
  'min-items-changed',
  'max-items-changed',
  'unique-items-changed',
  'min-properties-changed',
  'max-properties-changed',
  'branch-added',
  'branch-removed',
  'keyword-changed',
]);

const show = (value: unknown): string => JSON.stringify(value);

function describeCase(c: CorpusCase, findings: readonly SchemaFinding[]): string {
  return [
    `case: ${c.name}`,
    `old: ${show(c.old)}`,
    `new: ${show(c.new)}`,
    `expected: backward=${c.backward} forward=${c.forward} rule=${c.rule} policy=${c.policy ?? 'strict'}`,
    `findings: ${show(findings)}`,
  ].join('\n');
}

describe('corpus shape', () => {
  it('has at least 100 cases with unique names and known rule ids', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(100);
    const names = CORPUS.map((c) => c.name);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
    expect(CORPUS.filter((c) => !RULE_IDS.has(c.rule)).map((c) => `${c.name}: ${c.rule}`)).toEqual([]);
  });

  it('pins refactors to both verdicts true', () => {
    expect(CORPUS.filter((c) => c.rule === 'none' && !(c.backward && c.forward)).map((c) => c.name)).toEqual([]);
  });
});

/**
 * Pairs where the engine is knowingly conservative: it reports a break that no instance shows,
 * because deciding it exactly needs regex inclusion or tuple/list item algebra. It must still
 * never miss a real break; and when it becomes exact, the case must leave this list.
 */
const KNOWN_CONSERVATIVE = new Map([
  ['pattern changed to a superset language (precision: lower case -> letters)', 'regular-expression inclusion is not decided'],
  ['items: list form -> tuple form (only the first item is constrained)', 'list/tuple items are not compared across forms'],
  ['allOf of list items and tuple items (same instances)', 'allOf with tuple items is not folded'],
]);

describe('engine agrees with the corpus', () => {
  it.each(CORPUS.filter((c) => KNOWN_CONSERVATIVE.has(c.name)))('$name (known conservative)', (c) => {
    const findings = diffSchemas(c.old, c.new, { policy: c.policy ?? 'strict' });
    const context = describeCase(c, findings);
    const backwardOk = !findings.some((f) => f.breaks.includes('BACKWARD'));
    const forwardOk = !findings.some((f) => f.breaks.includes('FORWARD'));
    // Sound: a real break is always reported...
    if (!c.backward) expect(backwardOk, context).toBe(false);
    if (!c.forward) expect(forwardOk, context).toBe(false);
    // ...and still conservative: remove the case from the list once the engine is exact.
    expect(backwardOk === c.backward && forwardOk === c.forward, `${KNOWN_CONSERVATIVE.get(c.name)}\n${context}`).toBe(false);
  });

  it('lists only cases that exist', () => {
    expect([...KNOWN_CONSERVATIVE.keys()].filter((name) => !CORPUS.some((c) => c.name === name))).toEqual([]);
  });

  it.each(CORPUS.filter((c) => !KNOWN_CONSERVATIVE.has(c.name)))('$name', (c) => {
    const findings = diffSchemas(c.old, c.new, { policy: c.policy ?? 'strict' });
    const context = describeCase(c, findings);
    const backwardOk = !findings.some((f) => f.breaks.includes('BACKWARD'));
    const forwardOk = !findings.some((f) => f.breaks.includes('FORWARD'));
    expect({ backward: backwardOk, forward: forwardOk }, context).toEqual({ backward: c.backward, forward: c.forward });
    if (c.rule === 'none') {
      expect(findings, context).toEqual([]);
      return;
    }
    const broken: Direction[] = [...(c.backward ? [] : ['BACKWARD' as const]), ...(c.forward ? [] : ['FORWARD' as const])];
    if (broken.length > 0) {
      const pinned = findings.filter((f) => f.rule === c.rule && f.breaks.some((d) => broken.includes(d)));
      expect(pinned.length, `no '${c.rule}' finding breaking ${broken.join('+')}\n${context}`).toBeGreaterThan(0);
    }
  });
});

// --- the oracle: the corpus's verdicts checked against instances, without the engine -----------

const oracle = new Oracle();

interface OracleReport {
  probes: number;
  /** An instance valid under old and invalid under new (breaks BACKWARD), if any probe is one. */
  backwardWitness?: unknown;
  /** An instance valid under new and invalid under old (breaks FORWARD), if any probe is one. */
  forwardWitness?: unknown;
}

function runOracle(c: CorpusCase): OracleReport {
  const lenient = c.policy === 'lenient';
  // strict: x valid under old must be valid under new. lenient: the premise reads the schema with
  // its open models closed (undeclared properties assumed absent).
  const premiseOld = oracle.validator(lenient ? closeOpenModels(c.old) : c.old);
  const premiseNew = oracle.validator(lenient ? closeOpenModels(c.new) : c.new);
  const validOld = oracle.validator(c.old);
  const validNew = oracle.validator(c.new);
  const probes = probesFor(c.old, c.new, oracle, c.probes);
  const report: OracleReport = { probes: probes.length };
  for (const probe of probes) {
    if (report.backwardWitness === undefined && premiseOld(probe) && !validNew(probe)) report.backwardWitness = probe;
    if (report.forwardWitness === undefined && premiseNew(probe) && !validOld(probe)) report.forwardWitness = probe;
  }
  return report;
}

describe('corpus verdicts agree with instances (ajv oracle)', () => {
  it.each(CORPUS)('$name', (c) => {
    const report = runOracle(c);
    const context = `case: ${c.name}\nold: ${show(c.old)}\nnew: ${show(c.new)}\nprobes tried: ${report.probes}`;
    if (c.backward) {
      expect(
        report.backwardWitness,
        `corpus says backward, but this probe is valid under old and invalid under new\n${context}`,
      ).toBeUndefined();
    } else {
      expect(report.backwardWitness, `corpus says not backward, but no probe shows it: add a witness to probes\n${context}`).toBeDefined();
    }
    if (c.forward) {
      expect(
        report.forwardWitness,
        `corpus says forward, but this probe is valid under new and invalid under old\n${context}`,
      ).toBeUndefined();
    } else {
      expect(report.forwardWitness, `corpus says not forward, but no probe shows it: add a witness to probes\n${context}`).toBeDefined();
    }
  });
});
