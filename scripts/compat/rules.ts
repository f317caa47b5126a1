// One line per rule the gate itself raises (the JSON Schema engine's rules describe themselves
// in their messages). Used by SARIF and the README.
const RULES: Record<string, string> = {
  'subject-removed': 'A subject (channel + message) was removed; consumers lose it. Deprecate it first and keep the channel.',
  'channel-removed': 'A channel was removed or renamed.',
  'channel-address-changed': 'A channel address (the NATS subject) changed.',
  'message-removed': 'A message was removed from a channel or renamed.',
  'operation-removed': 'An operation was removed or renamed (breaking for a send operation).',
  'operation-action-changed': 'An operation changed between send and receive.',
  'content-type-changed': 'A message content type changed.',
  'mode-weakened': 'A subject declared a weaker compatibility mode, dropping guarantees consumers rely on.',
  'major-version-bumped': 'A subject moved to a new major version; it is not checked against the old major.',
  'released-snapshot-changed': 'A released snapshot was changed, deleted or added by hand.',
  'released-version-modified': 'The contract changed but x-version still names a released version.',
  'version-regressed': 'x-version is older than a released version.',
  'version-unreleased': 'x-version is not released yet (run make release-contracts).',
};

export function ruleDescription(rule: string): string {
  return RULES[rule] ?? `JSON Schema rule ${rule} (see the finding's message).`;
}
