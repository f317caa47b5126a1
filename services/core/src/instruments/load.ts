// Reads and checks the instrument data file. Loading is synchronous and done once at start-up:
// a service cannot do anything useful without its catalog, so a bad file stops it immediately
// with the file path and the path of the offending field.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { createInstrumentCatalog, type InstrumentCatalog } from './catalog.js';
import { instrumentCatalogSchema } from './schema.js';

/** services/core/data/instruments.yaml, found relative to this module so the working directory does not matter. */
export const DEFAULT_INSTRUMENTS_PATH = fileURLToPath(new URL('../../data/instruments.yaml', import.meta.url));

/** One problem in the data file; `field` is a dotted path (`futures.roots.ES.tickSize`), "" for the whole file. */
export interface CatalogIssue {
  field: string;
  message: string;
}

/** The instrument data file could not be read, is not YAML, or does not match the schema. */
export class InstrumentCatalogError extends Error {
  override readonly name = 'InstrumentCatalogError';

  constructor(
    readonly filePath: string,
    readonly issues: CatalogIssue[],
    options?: ErrorOptions,
  ) {
    super(`invalid instrument catalog ${filePath}:\n${issues.map((i) => `  ${i.field || '(file)'}: ${i.message}`).join('\n')}`, options);
  }
}

export function loadInstrumentCatalog(filePath: string = DEFAULT_INSTRUMENTS_PATH): InstrumentCatalog {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (cause) {
    throw new InstrumentCatalogError(filePath, [{ field: '', message: `cannot read the file (${(cause as Error).message})` }], { cause });
  }
  return parseInstrumentCatalog(text, filePath);
}

/** Parses catalog YAML text; `filePath` only names the source in errors. */
export function parseInstrumentCatalog(text: string, filePath: string): InstrumentCatalog {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (cause) {
    throw new InstrumentCatalogError(filePath, [{ field: '', message: `not valid YAML (${(cause as Error).message})` }], { cause });
  }
  const result = instrumentCatalogSchema.safeParse(document);
  if (!result.success) throw new InstrumentCatalogError(filePath, toCatalogIssues(result.error));
  return createInstrumentCatalog(result.data, filePath);
}

function toCatalogIssues(error: z.ZodError): CatalogIssue[] {
  return error.issues.map((issue) => ({ field: issue.path.map(String).join('.'), message: issue.message }));
}
