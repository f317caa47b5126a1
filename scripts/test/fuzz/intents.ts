// Order intents for the trade API and the MCP tool: valid ones (unique client order ids, hostile
// but allowed free text) and ones broken in a way the decisions.order_intent contract forbids,
// plus bearer headers that are right or wrong. Shared by the exec-sim and agent-mcp fuzz tests.
import fc from 'fast-check';
import { headerSafeString, hostileString, hostileValue } from './hostile.js';

export const ORDER_INTENT_SUBJECT = 'decisions.order_intent';
export const ES = { symbol: 'ESZ6', assetClass: 'futures', venue: 'CME', root: 'ES', contractMonth: '2026-12' } as const;

const SIDES = ['buy', 'sell'];
const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit'];
const TIME_IN_FORCE = ['GTC', 'IOC', 'FOK', 'DAY'];
const INTENT_KEYS = [
  'clientOrderId',
  'strategyId',
  'agentId',
  'instrument',
  'side',
  'orderType',
  'timeInForce',
  'quantity',
  'limitPrice',
  'stopPrice',
  'reduceOnly',
  'causationId',
  'rationale',
  'createdAt',
  'dry_run',
];

type Intent = Record<string, unknown>;

// Unique across the run, so a valid intent is never a duplicate of an earlier one.
let issued = 0;

/** A limit or market intent on ESZ6 the contract accepts, with free text that may be hostile. */
export const validIntent: fc.Arbitrary<Intent> = fc
  .record({
    side: fc.constantFrom(...SIDES),
    priced: fc.option(fc.integer({ min: 1, max: 40_000 }), { nil: undefined }),
    quantity: fc.integer({ min: 1, max: 5 }),
    timeInForce: fc.constantFrom(...TIME_IN_FORCE),
    rationale: fc.option(
      hostileString.filter((text) => [...text].length <= 4_000),
      { nil: undefined },
    ),
  })
  .map(({ side, priced, quantity, timeInForce, rationale }) => ({
    clientOrderId: `fz-${++issued}`,
    instrument: { ...ES },
    side,
    ...(priced === undefined ? { orderType: 'market' } : { orderType: 'limit', limitPrice: priced / 4 }),
    quantity,
    timeInForce,
    ...(rationale === undefined ? {} : { rationale }),
  }));

export interface HostileIntent {
  value: Intent;
  /** The JSON sent over HTTP (differs from JSON.stringify(value) for number literals JSON cannot hold). */
  text: string;
  label: string;
  /** Only unknown keys are wrong: a schema that strips them (the MCP tool's) may rightly accept it. */
  unknownKeysOnly: boolean;
}

const notOneOf = (allowed: readonly string[]) => hostileValue.filter((v) => !(typeof v === 'string' && allowed.includes(v)));
const notNumber = hostileValue.filter((v) => typeof v !== 'number');
const set = (field: string) => (value: unknown) => ({ field, value });

/** An own enumerable key, even `__proto__` (JSON.parse makes it one too). */
function withKey(intent: Intent, key: string, value: unknown): Intent {
  const copy = { ...intent };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

type Change =
  | { field: string; value: unknown }
  | { drop: string }
  | { extra: string; value: unknown }
  | { instrument: Record<string, unknown> };

const change: fc.Arbitrary<Change> = fc.oneof(
  notOneOf(SIDES).map(set('side')),
  notOneOf(ORDER_TYPES).map(set('orderType')),
  notOneOf(TIME_IN_FORCE).map(set('timeInForce')),
  fc.oneof(fc.constantFrom(0, -1, -1e-300, -Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY), notNumber).map(set('quantity')),
  notNumber.map(set('limitPrice')),
  hostileValue.filter((v) => typeof v !== 'string' || !/^[A-Za-z0-9._:/-]{1,36}$/.test(v)).map(set('clientOrderId')),
  fc
    .oneof(fc.constantFrom('', 'x'.repeat(129)), notOneOf([]))
    .filter((v) => typeof v !== 'string' || v.length === 0 || v.length > 128)
    .map(set('strategyId')),
  hostileValue.filter((v) => typeof v !== 'string' || !/^\d{4}-\d\d-\d\dT/.test(v)).map(set('createdAt')),
  hostileValue.filter((v) => typeof v !== 'boolean').map(set('reduceOnly')),
  fc
    .oneof(
      fc.constant('x'.repeat(4_001)),
      hostileValue.filter((v) => typeof v !== 'string'),
    )
    .map(set('rationale')),
  fc.constantFrom('instrument', 'side', 'orderType', 'quantity').map((drop) => ({ drop })),
  fc
    .record({ extra: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'venueOrderId'), hostileString), value: hostileValue })
    .filter(({ extra }) => !INTENT_KEYS.includes(extra)),
  fc
    .oneof(
      hostileString.filter((venue) => !/^[A-Z][A-Z0-9_]{1,31}$/.test(venue)).map((venue) => ({ ...ES, venue })),
      fc.constantFrom({ ...ES, symbol: '' }, { ...ES, symbol: 'E'.repeat(65) }, { ...ES, assetClass: 'stocks' }, { symbol: 'ESZ6' }),
      hostileValue.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => ({ v })),
    )
    .map((instrument) => ({ instrument: 'v' in instrument ? (instrument.v as Record<string, unknown>) : instrument })),
);

function describeChange(c: Change): string {
  if ('drop' in c) return `without ${c.drop}`;
  if ('extra' in c) return `unknown key ${JSON.stringify(c.extra)}`;
  if ('instrument' in c) return 'bad instrument';
  return `bad ${c.field}`;
}

/** A valid intent with one change the contract forbids, or a quantity literal JSON cannot hold. */
export const hostileIntent: fc.Arbitrary<HostileIntent> = fc.oneof(
  fc.tuple(validIntent, change).map(([intent, c]): HostileIntent => {
    let value: Intent;
    if ('drop' in c) {
      value = { ...intent };
      delete value[c.drop];
    } else if ('extra' in c) value = withKey(intent, c.extra, c.value);
    else if ('instrument' in c) value = { ...intent, instrument: c.instrument };
    else value = { ...intent, [c.field]: c.value };
    return { value, text: JSON.stringify(value), label: describeChange(c), unknownKeysOnly: 'extra' in c };
  }),
  fc.tuple(validIntent, fc.constantFrom('1e400', '-1e400', '0e0', '-0')).map(([intent, literal]) => ({
    value: { ...intent, quantity: Number(literal) },
    text: JSON.stringify(intent).replace(/"quantity":\d+/, `"quantity":${literal}`),
    label: `quantity ${literal}`,
    unknownKeysOnly: false,
  })),
);

export interface BearerHeader {
  header: string | undefined;
  valid: boolean;
  label: string;
}

const trimmed = (value: string) => value.replace(/^[ \t]+|[ \t]+$/g, '');
/** What a bearer check reads from a header, after HTTP trims its value. */
const presentedKey = (header: string) => /^Bearer\s+(.+)$/i.exec(trimmed(header))?.[1]?.trim();

/** Authorization headers: the right key (in the spellings HTTP allows) or a wrong one. */
export function bearerHeader(key: string): fc.Arbitrary<BearerHeader> {
  const wrong = (header: string | undefined, label: string): BearerHeader => ({ header, valid: false, label });
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .constantFrom(`Bearer ${key}`, `bearer ${key}`, `Bearer \t ${key}`)
        .map((header) => ({ header, valid: true, label: 'key' })),
    },
    fc.constant(wrong(undefined, 'no Authorization')),
    fc
      .constantFrom(
        `Basic ${key}`,
        key,
        `Bearer ${key}x`,
        `Bearer ${key.toUpperCase()}`,
        'Bearer',
        `Bearer ${key.slice(1)}`,
        `Token ${key}`,
      )
      .map((header) => wrong(header, header)),
    headerSafeString
      .map((junk) => `Bearer ${junk}`)
      .filter((header) => presentedKey(header) !== key)
      .map((header) => wrong(header, 'junk bearer')),
  );
}
