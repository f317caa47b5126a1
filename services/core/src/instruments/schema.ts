// The shape of services/core/data/instruments.yaml (its header documents every field).
// Cross-references (a root's exchange, a micro's full-size root, a pair's name) are checked here
// too, so a typo in the data file fails at load time with the field's path instead of as a
// lookup miss in production.
import { z } from 'zod';

const MONTH_CODES = 'FGHJKMNQUVXZ';

const upperCode = z.string().regex(/^[A-Z0-9]{2,10}$/, 'must be 2-10 upper-case letters or digits');
// Same pattern as Instrument.venue in contracts/common/schemas.yaml, so any venue here is publishable.
const venueName = z.string().regex(/^[A-Z][A-Z0-9_]{1,31}$/, 'must be an upper-case venue name (A-Z, 0-9, _)');
const rootName = z.string().regex(/^[A-Z0-9]{1,10}$/, 'must be 1-10 upper-case letters or digits');
const positive = z.number().positive();
const feeBps = z.number().min(0).max(10_000);

export const futuresRootSchema = z.strictObject({
  name: z.string().min(1),
  exchange: venueName,
  tickSize: positive,
  multiplier: positive,
  currency: upperCode,
  lotSize: positive,
  months: z
    .string()
    .regex(new RegExp(`^[${MONTH_CODES}]{1,12}$`), `must be month codes (${MONTH_CODES})`)
    .optional(),
  microOf: rootName.optional(),
});

export const fxPairSchema = z.strictObject({
  base: upperCode,
  quote: upperCode,
  pipSize: positive,
  tickSize: positive,
  lotSize: positive,
  spreadPips: z.number().min(0).optional(),
});

const feeScheduleSchema = z.strictObject({ makerFeeBps: feeBps, takerFeeBps: feeBps });

export const cryptoPairSchema = z.strictObject({ tickSize: positive, lotSize: positive });

export const cryptoVenueSchema = z.strictObject({
  spot: feeScheduleSchema,
  perpetual: feeScheduleSchema.optional(),
  pairs: z.record(z.string().regex(/^[A-Z0-9]{2,20}(\.[A-Z]{1,3})?$/, 'must be an upper-case pair symbol'), cryptoPairSchema).default({}),
});

export const feesSchema = z.strictObject({
  futures: z.strictObject({ commissionPerContract: z.number().min(0), microCommissionPerContract: z.number().min(0), currency: upperCode }),
  fx: z.strictObject({ spreadPips: z.number().min(0), commissionPerMillion: z.number().min(0) }),
});

export const instrumentCatalogSchema = z
  .strictObject({
    version: z.literal(1),
    delayedSuffix: z.string().regex(/^_[A-Z]+$/, 'must be an underscore and upper-case letters (_DL)'),
    venueAliases: z.record(venueName, venueName),
    futures: z.strictObject({
      exchanges: z.array(venueName).min(1),
      roots: z.record(rootName, futuresRootSchema),
    }),
    fx: z.strictObject({
      defaultVenue: venueName,
      venues: z.array(venueName).min(1),
      pairs: z.record(z.string().regex(/^[A-Z]{6}$/, 'must be six upper-case letters (EURUSD)'), fxPairSchema),
    }),
    crypto: z.strictObject({
      quoteCurrencies: z.array(upperCode).min(1),
      perpetualSuffix: z.string().regex(/^\.[A-Z]{1,3}$/, 'must be a dot and 1-3 upper-case letters (.P)'),
      venues: z.record(venueName, cryptoVenueSchema),
    }),
    fees: feesSchema,
  })
  .superRefine((catalog, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    for (const [root, rules] of Object.entries(catalog.futures.roots)) {
      if (!catalog.futures.exchanges.includes(rules.exchange)) {
        issue(['futures', 'roots', root, 'exchange'], `"${rules.exchange}" is not one of futures.exchanges`);
      }
      if (rules.microOf !== undefined && !(rules.microOf in catalog.futures.roots)) {
        issue(['futures', 'roots', root, 'microOf'], `"${rules.microOf}" is not a futures root of this file`);
      }
    }
    if (!catalog.fx.venues.includes(catalog.fx.defaultVenue)) {
      issue(['fx', 'defaultVenue'], `"${catalog.fx.defaultVenue}" is not one of fx.venues`);
    }
    for (const [symbol, pair] of Object.entries(catalog.fx.pairs)) {
      if (symbol !== pair.base + pair.quote) issue(['fx', 'pairs', symbol], `pair name must be base + quote (${pair.base}${pair.quote})`);
    }
    for (const [venue, rules] of Object.entries(catalog.crypto.venues)) {
      for (const symbol of Object.keys(rules.pairs)) {
        if (symbol.includes('.') && !(symbol.endsWith(catalog.crypto.perpetualSuffix) && rules.perpetual)) {
          issue(
            ['crypto', 'venues', venue, 'pairs', symbol],
            `only a venue with perpetual fees lists "${catalog.crypto.perpetualSuffix}" pairs`,
          );
        }
      }
    }
  });

export type InstrumentCatalogData = z.infer<typeof instrumentCatalogSchema>;
export type FuturesRootRules = z.infer<typeof futuresRootSchema>;
export type FxPairRules = z.infer<typeof fxPairSchema>;
export type CryptoVenueRules = z.infer<typeof cryptoVenueSchema>;
export type CryptoPairRules = z.infer<typeof cryptoPairSchema>;
export type FeeDefaults = z.infer<typeof feesSchema>;

/** A futures root's rules with its name. */
export type FuturesRoot = FuturesRootRules & { root: string };
/** An fx pair's rules with its symbol. */
export type FxPair = FxPairRules & { symbol: string };
/** A crypto venue's rules with its name. */
export type CryptoVenue = CryptoVenueRules & { venue: string };
