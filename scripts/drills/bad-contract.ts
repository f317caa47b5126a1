// Drill bad-contract: a breaking contract edit, a buggy producer and a rogue publisher, each
// stopped where the design says it is stopped.
//   (a) the real compatibility gate (`make compat`'s CLI, a child process) passes on a temporary
//       copy of contracts/, then fails with its findings once two incompatible edits are made;
//   (b) a payload that violates its contract is refused by the generated publisher before it
//       reaches NATS: the stream holds as many messages after as before;
//   (c) rogue messages injected raw on decisions.order_intent land in the dead-letter stream with
//       their validation errors, and exec-sim (a real child process) goes on and fills the valid
//       intent published after them.
// `npx tsx scripts/drills/bad-contract.ts` (or `make drill-bad-contract`): exit 1 when any of it did not happen.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import {
  type OrderFilled,
  type OrderIntent,
  orderIntentContract,
  provisionStreams,
  publishOrderIntent,
  publishSignalNormalized,
} from '../../generated/index.js';
import {
  buildEventHeaders,
  ContractValidationError,
  connectNats,
  DeadLetterHeader,
  deadLetterStreamName,
  deadLetterSubject,
  deterministicId,
  type NatsRuntime,
} from '../../services/core/src/index.js';
import { eventsOn, waitFor } from '../../services/core/src/testing/events.js';
import { startNatsServer } from '../../services/core/src/testing/nats-harness.js';
import { spawnExecSim } from '../../services/exec-sim/test/support/exec-sim-process.js';
import { createDrillRecorder, type DrillRecorder, type DrillResult, isMainModule, runDrillCli } from './support/drill.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STREAM = 'trading-events';
const INTENTS = orderIntentContract.subject;
const ES = { symbol: 'ESZ6', assetClass: 'futures', venue: 'CME', root: 'ES', contractMonth: '2026-12' } as const;

export interface BadContractDrillOptions {
  /** nats-server binary for part (c); $NATS_SERVER_BIN or `nats-server` on PATH when absent. */
  natsServerBinary?: string;
}

export async function runBadContractDrill(options: BadContractDrillOptions = {}): Promise<DrillResult> {
  const gate = createDrillRecorder('bad-contract');
  const runtime = createDrillRecorder('bad-contract');
  // Independent parts, side by side: the gate's child processes and exec-sim's start-up take most of the time.
  const parts = await Promise.allSettled([incompatibleEditFailsTheGate(gate), invalidPayloadsStopAtTheirEdge(runtime, options)]);
  for (const part of parts) if (part.status === 'rejected') throw part.reason;
  const [a, b] = [gate.result(), runtime.result()];
  return { name: a.name, ok: a.ok && b.ok, observations: [...a.observations, ...b.observations], failures: [...a.failures, ...b.failures] };
}

// ---------------------------------------------------------------------------------------------
// (a) The gate

interface GateFinding {
  subject: string;
  pointer: string;
  rule: string;
  message: string;
}

interface GateRun {
  code: number | null;
  compatible?: boolean;
  findings: GateFinding[];
  stderr: string;
}

/** The two edits, each breaking for consumers that replay history (BACKWARD_TRANSITIVE). */
const SIGNALS_CONTRACT = 'contracts/signals/signals.asyncapi.yaml';
const EXPECTED_FINDINGS = [
  { subject: 'signals.normalized', rule: 'required-added', pointer: '/payload/properties/price', what: 'optional price made required' },
  {
    subject: 'signals.raw',
    rule: 'enum-narrowed',
    pointer: '/payload/properties/bodyEncoding/enum',
    what: "enum value 'base64' removed from BodyEncoding",
  },
];

function breakSignalsContract(root: string): void {
  const file = path.join(root, SIGNALS_CONTRACT);
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const required = doc.getIn(['components', 'schemas', 'SignalNormalized', 'required'], true);
  const encodings = doc.getIn(['components', 'schemas', 'BodyEncoding', 'enum'], true);
  const hasItems = (node: unknown): node is { items: { value?: unknown }[] } =>
    typeof node === 'object' && node !== null && Array.isArray((node as { items?: unknown }).items);
  if (!hasItems(required) || !hasItems(encodings)) {
    throw new Error(`${SIGNALS_CONTRACT} no longer has SignalNormalized.required or BodyEncoding.enum: update the drill's edit`);
  }
  doc.addIn(['components', 'schemas', 'SignalNormalized', 'required'], 'price');
  doc.setIn(
    ['components', 'schemas', 'BodyEncoding', 'enum'],
    encodings.items.map((item) => item.value).filter((value) => value !== 'base64'),
  );
  writeFileSync(file, doc.toString());
}

function runGate(root: string): Promise<GateRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/compat/cli.ts', '--root', root, '--format', 'json'], {
    cwd: rootDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      try {
        const report = JSON.parse(stdout) as { compatible: boolean; findings: GateFinding[] };
        resolve({ code, compatible: report.compatible, findings: report.findings, stderr });
      } catch {
        resolve({ code, findings: [], stderr: stderr || stdout });
      }
    });
  });
}

async function incompatibleEditFailsTheGate(drill: DrillRecorder): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'drill-bad-contract-'));
  try {
    cpSync(path.join(rootDir, 'contracts'), path.join(root, 'contracts'), { recursive: true });
    const control = await runGate(root);
    drill.observe(`(a) gate on an unchanged copy of contracts/: exit ${control.code}`);
    drill.check(control.code === 0, `the gate should pass on an unchanged copy (exit ${control.code}): ${control.stderr.trim()}`);

    breakSignalsContract(root);
    const broken = await runGate(root);
    drill.observe(`(a) gate after the edits (${EXPECTED_FINDINGS.map((e) => e.what).join('; ')}): exit ${broken.code}`);
    for (const f of broken.findings) drill.observe(`(a)   finding ${f.subject} ${f.rule} at ${f.pointer}: ${f.message}`);
    drill.check(broken.code === 1, `the gate should exit 1 on an incompatible edit, exited ${broken.code}: ${broken.stderr.trim()}`);
    for (const expected of EXPECTED_FINDINGS) {
      drill.check(
        broken.findings.some((f) => f.subject === expected.subject && f.rule === expected.rule && f.pointer === expected.pointer),
        `no ${expected.rule} finding on ${expected.subject} at ${expected.pointer} (${expected.what})`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// (b) and (c) At run time

function intent(clientOrderId: string): OrderIntent {
  return {
    clientOrderId,
    strategyId: 'drill',
    agentId: 'bad-contract-drill',
    instrument: ES,
    side: 'buy',
    orderType: 'market',
    timeInForce: 'GTC',
    quantity: 1,
    reduceOnly: false,
    createdAt: new Date().toISOString(),
  };
}

async function invalidPayloadsStopAtTheirEdge(drill: DrillRecorder, options: BadContractDrillOptions): Promise<void> {
  const server = await startNatsServer(options.natsServerBinary ? { binary: options.natsServerBinary } : {});
  let client: NatsRuntime | undefined;
  let execSim: Awaited<ReturnType<typeof spawnExecSim>> | undefined;
  try {
    client = await connectNats({ servers: server.url, name: 'drill-bad-contract', reconnectTimeWaitMs: 100 });
    await provisionStreams(client.jsm, { stream: STREAM });
    await producerBugIsRefused(drill, client);
    execSim = await spawnExecSim({ NATS_URL: server.url, NATS_STREAM: STREAM, EXEC_SIM_SEED: '7' });
    drill.observe(`(c) exec-sim running as pid ${execSim.child.pid}, consuming ${INTENTS}`);
    await rogueMessagesAreDeadLettered(drill, client, execSim.child);
  } finally {
    await execSim?.stop();
    await client?.close();
    await server.stop();
  }
}

async function producerBugIsRefused(drill: DrillRecorder, { js, jsm }: NatsRuntime): Promise<void> {
  const before = (await jsm.streams.info(STREAM)).state;
  const buggy = { ...intent('drill-producer-bug'), side: 'sideways', quantity: -1 } as unknown as OrderIntent;
  const refusal = await publishOrderIntent(js, buggy, { source: 'drill' }).then(
    () => undefined,
    (err: unknown) => err,
  );
  const after = (await jsm.streams.info(STREAM)).state;
  if (
    drill.check(
      refusal instanceof ContractValidationError,
      `publishing an invalid intent should throw ContractValidationError, got ${String(refusal)}`,
    )
  ) {
    drill.observe(`(b) producer refused before NATS: ${(refusal as ContractValidationError).message}`);
  }
  drill.observe(
    `(b) stream ${STREAM}: ${before.messages} messages (last seq ${before.last_seq}) before, ${after.messages} (last seq ${after.last_seq}) after`,
  );
  drill.check(after.messages === before.messages && after.last_seq === before.last_seq, 'the refused payload reached the stream');
}

interface Rogue {
  label: string;
  send(nats: NatsRuntime): Promise<void>;
  reason: string;
  errorPath: RegExp;
}

const ROGUES: Rogue[] = [
  {
    label: 'core nc.publish, no event headers, not JSON',
    reason: 'invalid_headers',
    errorPath: /^\/headers/,
    async send({ nc }) {
      nc.publish(INTENTS, 'BUY ES x1000 NOW');
      await nc.flush();
    },
  },
  {
    label: 'js.publish with valid event headers, quantity "lots" and no side',
    reason: 'validation_failed',
    errorPath: /^\/quantity$/,
    async send({ js }) {
      const { side: _side, ...withoutSide } = intent('drill-rogue');
      const eventId = deterministicId(INTENTS, 'drill-rogue');
      const headers = buildEventHeaders({ eventId, subject: INTENTS, schemaVersion: orderIntentContract.version, source: 'rogue' });
      await js.publish(INTENTS, JSON.stringify({ ...withoutSide, quantity: 'lots' }), { headers, msgID: eventId });
    },
  },
];

interface DeadLetter {
  reason: string;
  errors: { path: string; message: string }[];
  originalSubject: string;
  consumer: string;
}

async function deadLetters(jsm: NatsRuntime['jsm']): Promise<DeadLetter[]> {
  const stream = deadLetterStreamName(STREAM);
  const { state } = await jsm.streams.info(stream);
  const letters: DeadLetter[] = [];
  for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
    const msg = await jsm.streams.getMessage(stream, { seq });
    if (msg?.subject !== deadLetterSubject(INTENTS)) continue;
    letters.push({
      reason: msg.header.get(DeadLetterHeader.Reason),
      errors: JSON.parse(msg.header.get(DeadLetterHeader.Errors) || '[]') as DeadLetter['errors'],
      originalSubject: msg.header.get(DeadLetterHeader.OriginalSubject),
      consumer: msg.header.get(DeadLetterHeader.Consumer),
    });
  }
  return letters;
}

async function rogueMessagesAreDeadLettered(drill: DrillRecorder, nats: NatsRuntime, execSim: { exitCode: number | null }): Promise<void> {
  // A price first: the market intent after the rogues needs one to fill.
  const at = new Date().toISOString();
  await publishSignalNormalized(
    nats.js,
    {
      signalId: deterministicId('drill-price', at),
      rawSignalId: deterministicId('drill-price-raw', at),
      idempotencyKey: `drill:${at}`,
      source: 'drill',
      instrument: ES,
      action: 'buy',
      price: 6000.25,
      eventTime: at,
      receivedAt: at,
    },
    { source: 'drill' },
  );
  for (const rogue of ROGUES) await rogue.send(nats);
  const valid = intent('drill-valid-after-rogues');
  await publishOrderIntent(nats.js, valid, { source: 'drill', eventId: deterministicId(INTENTS, valid.clientOrderId) });

  const filled = async () =>
    (await eventsOn<OrderFilled>(nats.jsm, STREAM, 'executions.fill')).filter((f) => f.clientOrderId === valid.clientOrderId);
  await waitFor(
    async () => (await deadLetters(nats.jsm)).length >= ROGUES.length && (await filled()).length > 0,
    'dead letters and the fill',
  ).catch(
    () => undefined, // the checks below say what is missing
  );

  const letters = await deadLetters(nats.jsm);
  drill.observe(`(c) ${letters.length} dead letter(s) on ${deadLetterSubject(INTENTS)} in ${deadLetterStreamName(STREAM)}`);
  ROGUES.forEach((rogue, i) => {
    const letter = letters[i];
    if (!drill.check(letter !== undefined, `rogue #${i + 1} (${rogue.label}) is not in the dead-letter stream`) || !letter) return;
    const errors = letter.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ');
    drill.observe(`(c)   rogue #${i + 1} (${rogue.label}): reason ${letter.reason}, consumer ${letter.consumer}, errors: ${errors}`);
    drill.check(letter.reason === rogue.reason, `rogue #${i + 1} was dead-lettered as ${letter.reason}, expected ${rogue.reason}`);
    drill.check(letter.originalSubject === INTENTS, `rogue #${i + 1} records original subject ${letter.originalSubject}`);
    drill.check(
      letter.errors.some((e) => rogue.errorPath.test(e.path)),
      `rogue #${i + 1}'s validation errors name no path matching ${rogue.errorPath}: ${errors}`,
    );
  });
  const fills = await filled();
  drill.observe(
    `(c) valid intent ${valid.clientOrderId} published after the rogues: ${fills.length} fill(s), ${fills.reduce((sum, f) => sum + f.lastQty, 0)} filled; exec-sim ${execSim.exitCode === null ? 'still running' : `exited ${execSim.exitCode}`}`,
  );
  drill.check(fills.length > 0, 'exec-sim did not fill the valid intent published after the rogue messages');
  drill.check(execSim.exitCode === null, 'exec-sim exited after the rogue messages');
}

if (isMainModule(import.meta.url)) await runDrillCli(() => runBadContractDrill());
