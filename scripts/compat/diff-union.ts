// anyOf / oneOf: branches matched by coverage (each old branch must fit in some new branch for
// BACKWARD, each new branch in some old branch for FORWARD), plus oneOf's exclusivity: an
// instance that matches two branches of a oneOf is invalid.
import { brokenDirections, type DiffContext, report } from './schema-diff.js';
import { canonical, constraints, deref, provablyDisjoint, type SchemaObject } from './schema-model.js';
import type { Direction } from './types.js';

export function hasUnion(schema: SchemaObject): boolean {
  return Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf);
}

interface Branches {
  kind: 'anyOf' | 'oneOf' | 'single';
  nodes: unknown[];
}

/** A schema's alternatives, with its sibling keywords distributed into each one. */
function branchesOf(schema: SchemaObject): Branches {
  const { anyOf, oneOf, ...siblings } = constraints(schema);
  const list = (oneOf ?? anyOf) as unknown[] | undefined;
  if (!list) return { kind: 'single', nodes: [schema] };
  const withSiblings = (branch: unknown) => (Object.keys(siblings).length === 0 ? branch : { allOf: [siblings, branch] });
  const nodes = list.map(withSiblings);
  // anyOf beside oneOf: keep it as a constraint of every branch.
  return { kind: oneOf ? 'oneOf' : 'anyOf', nodes: anyOf && oneOf ? nodes.map((b) => ({ allOf: [b, { anyOf }] })) : nodes };
}

/** A oneOf side breaks `direction` when an instance of one branch of the other side may match two of its branches. */
function overlaps(from: { root: unknown; nodes: unknown[] }, to: { root: unknown; branches: Branches }): boolean {
  if (to.branches.kind !== 'oneOf' || to.branches.nodes.length < 2) return false;
  return from.nodes.some((node) => {
    const source = deref(from.root, node);
    const touching = to.branches.nodes.filter((target) => !provablyDisjoint(from.root, source, to.root, deref(to.root, target)));
    return touching.length > 1;
  });
}

export function compareUnions(ctx: DiffContext, o: SchemaObject, n: SchemaObject, pointer: string): void {
  if (canonical(constraints(o)) === canonical(constraints(n)) && !JSON.stringify(o).includes('$ref')) return;
  const oldBranches = branchesOf(o);
  const newBranches = branchesOf(n);
  const kind = newBranches.kind !== 'single' ? newBranches.kind : oldBranches.kind;
  oldBranches.nodes.forEach((oldBranch, i) => {
    const covered = newBranches.nodes.some((newBranch) => !brokenDirections(ctx, oldBranch, newBranch, pointer).includes('BACKWARD'));
    if (!covered) {
      const at = oldBranches.kind === 'single' ? pointer : `${pointer}/${oldBranches.kind}/${i}`;
      report(
        ctx,
        at,
        'branch-removed',
        ['BACKWARD'],
        `old ${kind} branch ${i} is not accepted by any new branch: events written with it are rejected. Keep the branch.`,
      );
    }
  });
  newBranches.nodes.forEach((newBranch, j) => {
    const covered = oldBranches.nodes.some((oldBranch) => !brokenDirections(ctx, oldBranch, newBranch, pointer).includes('FORWARD'));
    if (!covered) {
      const at = newBranches.kind === 'single' ? pointer : `${pointer}/${newBranches.kind}/${j}`;
      report(
        ctx,
        at,
        'branch-added',
        ['FORWARD'],
        `new ${kind} branch ${j} is not accepted by the old schema: consumers on it reject such events. Upgrade consumers first.`,
      );
    }
  });
  const exclusivity: Direction[] = [];
  if (overlaps({ root: ctx.oldRoot, nodes: oldBranches.nodes }, { root: ctx.newRoot, branches: newBranches })) exclusivity.push('BACKWARD');
  if (overlaps({ root: ctx.newRoot, nodes: newBranches.nodes }, { root: ctx.oldRoot, branches: oldBranches })) exclusivity.push('FORWARD');
  if (exclusivity.length > 0) {
    report(
      ctx,
      `${pointer}/oneOf`,
      'branch-added',
      exclusivity,
      'oneOf branches may overlap: an event matching two branches is invalid. Make branches disjoint (a distinct type or a const discriminator).',
    );
  }
}
