// Property-based tests of the engine's soundness against ajv: when diffSchemas reports no
// BACKWARD (FORWARD) break for a pair, no instance may be valid under the old (new) schema and
// invalid under the other. Plus: a schema compared with itself, or with a key-shuffled clone,
// reports nothing. Runs per property: COMPAT_PROPERTY_RUNS (default 500); seed: COMPAT_PROPERTY_SEED.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffSchemas } from '../schema-diff.js';
import type { Direction, Policy, SchemaFinding } from '../types.js';
import { instancesArb, type Schema, schemaPairArb, shuffleKeys } from './arbitraries.js';
import { Oracle } from './oracle.js';

const RUNS = Number(process.env.COMPAT_PROPERTY_RUNS ?? 500);
const INSTANCES_PER_PAIR = 50;
const SEED = process.env.COMPAT_PROPERTY_SEED === undefined ? undefined : Number(process.env.COMPAT_PROPERTY_SEED);
const TIMEOUT_MS = Math.max(120_000, RUNS * 600);

const parameters = (): fc.Parameters<unknown> => ({ numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) });

const oracle = new Oracle();
const show = (value: unknown): string => JSON.stringify(value);

interface Tally {
  pairs: number;
  claimedCompatible: number;
  /** Instances valid under the premise schema of a pair claimed compatible (the non-vacuous checks). */
  premiseInstances: number;
}

/** diffSchemas, with the pair in the message when the engine throws. */
function diffWithContext(oldSchema: unknown, newSchema: unknown, policy: Policy = 'strict'): SchemaFinding[] {
  try {
    return diffSchemas(oldSchema, newSchema, { policy });
  } catch (error) {
    throw new Error(`diffSchemas threw (${policy}): ${String(error)}\nold: ${show(oldSchema)}\nnew: ${show(newSchema)}`, { cause: error });
  }
}

/** Throws (with old, new, the instance and the findings) when the engine's claim is contradicted. */
function checkSoundness(direction: Direction, oldSchema: Schema, newSchema: Schema, instances: unknown[], tally: Tally): void {
  tally.pairs++;
  const findings = diffWithContext(oldSchema, newSchema);
  if (findings.some((finding) => finding.breaks.includes(direction))) return;
  tally.claimedCompatible++;
  const [premise, conclusion] = direction === 'BACKWARD' ? [oldSchema, newSchema] : [newSchema, oldSchema];
  const [premiseName, conclusionName] = direction === 'BACKWARD' ? ['old', 'new'] : ['new', 'old'];
  const validPremise = oracle.validator(premise);
  const validConclusion = oracle.validator(conclusion);
  for (const instance of instances) {
    if (!validPremise(instance)) continue;
    tally.premiseInstances++;
    if (!validConclusion(instance)) {
      throw new Error(
        [
          `engine reports no ${direction} break, but the instance is valid under ${premiseName} and invalid under ${conclusionName}`,
          `old: ${show(oldSchema)}`,
          `new: ${show(newSchema)}`,
          `instance: ${show(instance)}`,
          `findings: ${show(findings)}`,
        ].join('\n'),
      );
    }
  }
}

const pairWithInstancesArb = schemaPairArb.chain(([oldSchema, newSchema]) =>
  instancesArb(oldSchema, newSchema, INSTANCES_PER_PAIR).map((instances) => ({ oldSchema, newSchema, instances })),
);

describe('engine soundness against ajv (strict policy)', () => {
  for (const direction of ['BACKWARD', 'FORWARD'] as const) {
    it(
      `no ${direction} break reported implies no instance breaks ${direction}`,
      () => {
        const tally: Tally = { pairs: 0, claimedCompatible: 0, premiseInstances: 0 };
        fc.assert(
          fc.property(pairWithInstancesArb, ({ oldSchema, newSchema, instances }) =>
            checkSoundness(direction, oldSchema, newSchema, instances, tally),
          ),
          parameters(),
        );
        console.info(
          `${direction}: ${tally.pairs} pairs checked (including shrinking), ${tally.claimedCompatible} claimed compatible, ` +
            `${tally.premiseInstances} instances valid under the premise schema`,
        );
      },
      TIMEOUT_MS,
    );
  }
});

describe('no findings without a change', () => {
  const policies: Policy[] = ['strict', 'lenient'];

  it(
    'diffSchemas(s, s) and diffSchemas(s, clone(s)) report nothing',
    () => {
      fc.assert(
        fc.property(schemaPairArb, ([oldSchema, newSchema]) => {
          for (const schema of [oldSchema, newSchema]) {
            for (const policy of policies) {
              expect(diffWithContext(schema, schema, policy), `${policy}: ${show(schema)}`).toEqual([]);
              expect(diffWithContext(schema, structuredClone(schema), policy), `${policy}: ${show(schema)}`).toEqual([]);
            }
          }
        }),
        parameters(),
      );
    },
    TIMEOUT_MS,
  );

  it(
    'a deep clone with shuffled key order reports nothing',
    () => {
      fc.assert(
        fc.property(schemaPairArb, fc.integer(), ([oldSchema, newSchema], seed) => {
          for (const schema of [oldSchema, newSchema]) {
            const shuffled = shuffleKeys(schema, seed);
            for (const policy of policies) {
              expect(diffWithContext(schema, shuffled, policy), `${policy}: ${show(schema)} vs ${show(shuffled)}`).toEqual([]);
              expect(diffWithContext(shuffled, schema, policy), `${policy}: ${show(shuffled)} vs ${show(schema)}`).toEqual([]);
            }
          }
        }),
        parameters(),
      );
    },
    TIMEOUT_MS,
  );
});
