// anyOf / oneOf: branches matched by coverage (each old branch must fit in some new branch for
// BACKWARD, each new branch in some old branch for FORWARD), plus oneOf's exclusivity: an
// instance that matches two branches of a oneOf is invalid.
import { brokenDirections, compareSchemas, type DiffContext, report } from './schema-diff.js';
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

/** Reports the findings of comparing two branches at the same position that break `direction`; false when none do. */
function reportEdit(ctx: DiffContext, oldBranch: unknown, newBranch: unknown, at: string, direction: Direction): boolean {
  const scratch: DiffContext = { ...ctx, findings: [] };
  compareSchemas(scratch, oldBranch, newBranch, at);
  const relevant = scratch.findings.filter((f) => f.breaks.includes(direction));
  for (const finding of relevant) ctx.findings.push({ ...finding, breaks: [direction] });
  return relevant.length > 0;
}

export function compareUnions(ctx: DiffContext, o: SchemaObject, n: SchemaObject, pointer: string): void {
  if (canonical(constraints(o)) === canonical(constraints(n)) && !JSON.stringify(o).includes('$ref')) return;
  const oldBranches = branchesOf(o);
  const newBranches = branchesOf(n);
  const kind = newBranches.kind !== 'single' ? newBranches.kind : oldBranches.kind;
  const samePositions = oldBranches.nodes.length === newBranches.nodes.length;
  oldBranches.nodes.forEach((oldBranch, i) => {
    const covered = newBranches.nodes.some((newBranch) => !brokenDirections(ctx, oldBranch, newBranch, pointer).includes('BACKWARD'));
    if (covered) return;
    const at = oldBranches.kind === 'single' ? pointer : `${pointer}/${oldBranches.kind}/${i}`;
    // A branch edited in place: the edit itself is the better finding.
    if (samePositions && reportEdit(ctx, oldBranch, newBranches.nodes[i], at, 'BACKWARD')) return;
    const message = `old ${kind} branch ${i} is not accepted by any new branch: events written with it are rejected. Keep the branch.`;
    report(ctx, at, 'branch-removed', ['BACKWARD'], message);
  });
  newBranches.nodes.forEach((newBranch, j) => {
    const covered = oldBranches.nodes.some((oldBranch) => !brokenDirections(ctx, oldBranch, newBranch, pointer).includes('FORWARD'));
    if (covered) return;
    const at = newBranches.kind === 'single' ? pointer : `${pointer}/${newBranches.kind}/${j}`;
    if (samePositions && reportEdit(ctx, oldBranches.nodes[j], newBranch, at, 'FORWARD')) return;
    const message = `new ${kind} branch ${j} is not accepted by the old schema: consumers on it reject such events. Upgrade consumers first.`;
    report(ctx, at, 'branch-added', ['FORWARD'], message);
  });
  const exclusivity: Direction[] = [];
  if (overlaps({ root: ctx.oldRoot, nodes: oldBranches.nodes }, { root: ctx.newRoot, branches: newBranches })) exclusivity.push('BACKWARD');
  if (overlaps({ root: ctx.newRoot, nodes: newBranches.nodes }, { root: ctx.oldRoot, branches: oldBranches })) exclusivity.push('FORWARD');
  if (exclusivity.length > 0) {
    const rule = newBranches.nodes.length < oldBranches.nodes.length ? 'branch-removed' : 'branch-added';
    const message =
      'oneOf branches may overlap: an event matching two branches is invalid. Make branches disjoint (a distinct type or a const discriminator).';
    report(ctx, `${pointer}/oneOf`, rule, exclusivity, message);
  }
}
