// Finds the line of a finding in the YAML (or JSON) it came from, for annotations: walks the
// finding's pointer through the source documents, following `$ref`s and the bundler's
// definitions, and stops at the deepest part that exists (a removed field points at its parent).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { FindingSource } from './findings.js';

export interface Location {
  /** Path relative to the report's root, with `/` separators. */
  file: string;
  line?: number;
}

interface Place {
  file: string;
  node: unknown;
  line: number | undefined;
}

const MAX_STEPS = 256;

export class SourceLocator {
  private readonly docs = new Map<string, { doc: Document; lines: LineCounter } | null>();

  constructor(private readonly displayRoot: string) {}

  display(file: string): string {
    return path.relative(this.displayRoot, file).split(path.sep).join('/');
  }

  locate(source: FindingSource): Location {
    const start = this.placeAt(source.file, source.base);
    if (start === undefined) return { file: this.display(source.file) };
    let place: Place = start;
    const tokens = source.pointer === '' ? [] : source.pointer.split('/').slice(1).map(unescapeToken);
    const definitions = tokens[0] === 'headers' ? source.definitions?.headers : source.definitions?.payload;
    for (let i = 0, steps = 0; i < tokens.length && steps < MAX_STEPS; steps++) {
      const token = tokens[i] as string;
      const child = this.child(place, token);
      if (child !== undefined) {
        place = child;
        i++;
        continue;
      }
      const definition = token === 'definitions' ? definitions?.get(tokens[i + 1] ?? '') : undefined;
      const next: Place | undefined = definition
        ? this.placeAt(definition.file, definition.pointer)
        : (this.followRef(place) ?? this.multiFormat(place));
      if (next === undefined) break;
      place = next;
      if (definition) i += 2;
    }
    return { file: this.display(place.file), line: place.line };
  }

  private load(file: string): { doc: Document; lines: LineCounter } | undefined {
    if (!this.docs.has(file)) {
      try {
        const lines = new LineCounter();
        this.docs.set(file, { doc: parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines }), lines });
      } catch {
        this.docs.set(file, null);
      }
    }
    return this.docs.get(file) ?? undefined;
  }

  private placeAt(file: string, pointer: string): Place | undefined {
    const loaded = this.load(file);
    if (loaded === undefined) return undefined;
    let place: Place | undefined = { file, node: loaded.doc.contents, line: undefined };
    for (const token of pointer === '' ? [] : pointer.split('/').slice(1).map(unescapeToken)) {
      place = place && this.child(place, token);
    }
    return place;
  }

  private child(place: Place, token: string): Place | undefined {
    const lines = this.load(place.file)?.lines;
    const lineOf = (node: Node | null | undefined) => (node?.range ? lines?.linePos(node.range[0]).line : undefined);
    if (isMap(place.node)) {
      const pair = place.node.items.find((p) => isScalar(p.key) && String(p.key.value) === token);
      return pair ? { file: place.file, node: pair.value, line: lineOf(pair.key as Node) } : undefined;
    }
    if (isSeq(place.node) && /^\d+$/.test(token)) {
      const item = place.node.items[Number(token)] as Node | undefined;
      return item === undefined ? undefined : { file: place.file, node: item, line: lineOf(item) };
    }
    return undefined;
  }

  /** Through a `$ref` (same file or another one), keeping the line of the referring key if the target has none. */
  private followRef(place: Place): Place | undefined {
    const ref = this.child(place, '$ref');
    if (ref === undefined || !isScalar(ref.node) || typeof ref.node.value !== 'string') return undefined;
    const [filePart = '', fragment = ''] = ref.node.value.split('#', 2);
    const file = filePart === '' ? place.file : path.resolve(path.dirname(place.file), filePart);
    return this.placeAt(file, fragment);
  }

  /** AsyncAPI 3's `{ schemaFormat, schema }` wrapper around a payload. */
  private multiFormat(place: Place): Place | undefined {
    return this.child(place, 'schemaFormat') ? this.child(place, 'schema') : undefined;
  }
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}
