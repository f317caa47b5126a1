// The AsyncAPI-level diff: what a consumer or producer of the old document depends on that the
// new one removes or changes (channels, messages, operations), then every subject in both.
import { escapeToken } from './asyncapi-side.js';
import { InputError } from './errors.js';
import type { JudgedFinding } from './findings.js';
import { isSemver, majorOf } from './semver.js';
import { type ContractSide, pairPlainSubjects } from './side.js';
import { DEFAULT_MODE } from './subject.js';
import { compareSubjects } from './subject-diff.js';
import type { CompatibilityMode, Direction, Policy } from './types.js';

const BOTH: Direction[] = ['BACKWARD', 'FORWARD'];

export interface DiffOptions {
  policy?: Policy;
  /** `--mode`: overrides every subject's declared mode. */
  mode?: CompatibilityMode;
}

export function diffSides(old: ContractSide, next: ContractSide, options: DiffOptions = {}): JudgedFinding[] {
  if (old.kind !== next.kind) {
    const what = (side: ContractSide) => (side.kind === 'asyncapi' ? 'an AsyncAPI document' : 'a plain JSON Schema');
    throw new InputError(next.label, `is ${what(next)} but ${old.label} is ${what(old)}: compare like with like`);
  }
  if (old.kind === 'schema') pairPlainSubjects(old, next);
  return [...diffChannels(old, next, options), ...diffOperations(old, next, options), ...diffSubjects(old, next, options)];
}

/** The subject a channel-level finding belongs to, and the mode it is judged under. */
function channelSubject(
  side: ContractSide,
  channelId: string | undefined,
  options: DiffOptions,
): { subject: string; mode: CompatibilityMode } {
  const channel = channelId === undefined ? undefined : side.channels.get(channelId);
  const first = side.subjects.find((s) => s.channelId === channelId);
  return {
    subject: first?.subject ?? channel?.address ?? channelId ?? '(document)',
    mode: options.mode ?? first?.compatibility ?? DEFAULT_MODE,
  };
}

function at(side: ContractSide, pointer: string) {
  return { file: side.file, base: '', pointer };
}

function diffChannels(old: ContractSide, next: ContractSide, options: DiffOptions): JudgedFinding[] {
  const findings: JudgedFinding[] = [];
  for (const [id, channel] of old.channels) {
    const owner = channelSubject(old, id, options);
    const now = next.channels.get(id);
    if (now === undefined) {
      findings.push({
        ...owner,
        pointer: `/channels/${escapeToken(id)}`,
        rule: 'channel-removed',
        breaks: BOTH,
        message: `channel ${id} (${channel.address}) was removed or renamed: its producers and consumers lose it; keep the channel (deprecate it) and add a new one beside it`,
        where: at(next, `/channels/${escapeToken(id)}`),
      });
      continue;
    }
    if (now.address !== channel.address) {
      findings.push({
        ...owner,
        pointer: `/channels/${escapeToken(id)}/address`,
        rule: 'channel-address-changed',
        breaks: BOTH,
        message: `channel ${id} moved from ${channel.address} to ${now.address}: producers and consumers on the old address no longer meet; keep the address and add a new channel instead`,
        where: at(next, `/channels/${escapeToken(id)}/address`),
      });
    }
    for (const messageId of channel.messageIds.filter((m) => !now.messageIds.includes(m))) {
      findings.push({
        ...owner,
        pointer: `/channels/${escapeToken(id)}/messages/${escapeToken(messageId)}`,
        rule: 'message-removed',
        breaks: BOTH,
        message: `message ${messageId} was removed from channel ${id} (or renamed): code generated from it breaks; keep the message and mark it deprecated instead`,
        where: at(next, `/channels/${escapeToken(id)}/messages/${escapeToken(messageId)}`),
      });
    }
  }
  return findings;
}

function diffOperations(old: ContractSide, next: ContractSide, options: DiffOptions): JudgedFinding[] {
  const findings: JudgedFinding[] = [];
  for (const [id, operation] of old.operations) {
    const owner = channelSubject(old, operation.channelId, options);
    const now = next.operations.get(id);
    if (now === undefined) {
      // A producer leaving starves every consumer; a consumer leaving breaks no one, but say so.
      const isSend = operation.action === 'send';
      findings.push({
        ...owner,
        pointer: `/operations/${escapeToken(id)}`,
        rule: 'operation-removed',
        breaks: isSend ? BOTH : [],
        message: isSend
          ? `send operation ${id} was removed or renamed: consumers of ${owner.subject} lose their producer; keep it until they have moved`
          : `receive operation ${id} was removed or renamed: its durable consumer is no longer provisioned`,
        where: at(next, `/operations/${escapeToken(id)}`),
      });
    } else if (now.action !== operation.action) {
      findings.push({
        ...owner,
        pointer: `/operations/${escapeToken(id)}/action`,
        rule: 'operation-action-changed',
        breaks: BOTH,
        message: `operation ${id} changed from ${operation.action} to ${now.action}: the service's role on ${owner.subject} flipped; add a new operation instead`,
        where: at(next, `/operations/${escapeToken(id)}/action`),
      });
    }
  }
  return findings;
}

function diffSubjects(old: ContractSide, next: ContractSide, options: DiffOptions): JudgedFinding[] {
  const findings: JudgedFinding[] = [];
  const payloadPrefix = old.kind === 'schema' ? '' : '/payload';
  for (const before of old.subjects) {
    const after = next.subjects.find((s) => s.subject === before.subject);
    if (after === undefined) {
      findings.push(
        subjectRemoved(
          before.subject,
          options.mode ?? before.compatibility,
          at(next, before.channelId ? `/channels/${escapeToken(before.channelId)}` : ''),
        ),
      );
      continue;
    }
    if (
      before.version &&
      after.version &&
      isSemver(before.version) &&
      isSemver(after.version) &&
      majorOf(after.version) > majorOf(before.version)
    ) {
      // A new major is allowed to break: consumers tell majors apart by ce-schemaversion.
      findings.push({
        subject: after.subject,
        pointer: '/x-version',
        rule: 'major-version-bumped',
        breaks: [],
        message: `x-version ${before.version} -> ${after.version}: a new major version is not checked against ${majorOf(before.version)}.x; consumers must handle both until the old one is drained`,
        mode: options.mode ?? after.compatibility,
        where: after.source && { ...after.source, pointer: '/x-version' },
      });
      continue;
    }
    findings.push(...compareSubjects(before, after, { ...options, payloadPrefix, checkAddress: before.channelId !== after.channelId }));
  }
  return findings;
}

export function subjectRemoved(subject: string, mode: CompatibilityMode, where?: JudgedFinding['where']): JudgedFinding {
  return {
    subject,
    pointer: '',
    rule: 'subject-removed',
    breaks: BOTH,
    message: `subject ${subject} was removed: its consumers (and any history they replay) lose it; keep the channel and deprecate the message first; to retire it once nothing reads it, release a new major version with x-compatibility: NONE, then remove it`,
    mode,
    where,
  };
}
