import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { ContentProblem } from '../model.js';
import type { ParseResult } from './parse-result.js';

/** Where a YAML text sits: its file and the file line its first line is on. */
export interface YamlPlace {
  file: string;
  /** 1-based file line of the text's first line (front matter starts after the `---` line). */
  firstLine: number;
  /** Line reported for a field missing at the top level; none for a whole-file document. */
  topLine?: number | undefined;
}

/** A YAML document read as plain data, with a way back from a data path to its line. */
export interface YamlData {
  /**
   * Maps become objects, sequences arrays, and every scalar its text as written: `draft: true`
   * gives `'true'`, `title: 1984` gives `'1984'`. Null values (`key:`, `key: ~`) are left out of
   * maps, so an empty field reads as a missing one. An empty document is `{}`.
   */
  data: unknown;
  /**
   * The file line of the entry at `path`: a map entry's key line, a list item's line. For an
   * entry that is not there, the line of its nearest parent entry.
   */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** More expanded nodes than this means an alias bomb, not a front matter. */
const NODE_BUDGET = 10_000;

class AliasBudgetError extends Error {
  override readonly name = 'AliasBudgetError';
}

/**
 * Parses YAML 1.2 without letting the parser guess types, so that the schema decides what a
 * value means and every problem can name its line.
 */
export function readYaml(text: string, place: YamlPlace): ParseResult<YamlData> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line + place.firstLine - 1;

  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e): ContentProblem => {
      const { message, offset } = describeYamlError(e.code, e.message, text, e.pos[0]);
      return { file: place.file, line: lineAt(offset), message };
    });
    return { ok: false, problems };
  }

  let data: unknown;
  try {
    data = toPlain(doc.contents, doc, { left: NODE_BUDGET }) ?? {};
  } catch (error) {
    if (!(error instanceof AliasBudgetError)) throw error;
    return {
      ok: false,
      problems: [{ file: place.file, line: place.firstLine, message: 'YAML aliases expand too far' }],
    };
  }

  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    let node: unknown = doc.contents;
    let line = place.topLine;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === String(segment));
        if (!pair) return line;
        const range = (pair.key as { range?: [number, number, number] } | null)?.range;
        if (range) line = lineAt(range[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as { range?: [number, number, number] } | undefined;
        if (!item) return line;
        if (item.range) line = lineAt(item.range[0]);
        node = item;
      } else {
        return line;
      }
    }
    return line;
  };

  return { ok: true, value: { data, lineOf } };
}

function keyText(key: unknown): string {
  if (isScalar(key)) return key.source ?? String(key.value);
  return String(key);
}

function toPlain(node: unknown, doc: Document, budget: { left: number }): unknown {
  budget.left -= 1;
  if (budget.left < 0) throw new AliasBudgetError('alias expansion over budget');
  if (isAlias(node)) return toPlain(node.resolve(doc), doc, budget);
  if (isScalar(node)) {
    if (node.value === null || node.value === undefined) return null;
    if (node.type === 'PLAIN' && node.source !== undefined) return node.source;
    return String(node.value);
  }
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const value = toPlain(pair.value, doc, budget);
      if (value === null) continue;
      // defineProperty: a key named __proto__ must stay a key, not reach the prototype.
      Object.defineProperty(out, keyText(pair.key), {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => toPlain(item, doc, budget));
  return null;
}

/**
 * A short message for a YAML error, and where to point: for a bracket or quote left open, the
 * place it was opened, not the later line where the parser noticed.
 */
function describeYamlError(
  code: string,
  message: string,
  text: string,
  offset: number,
): { message: string; offset: number } {
  if (code === 'DUPLICATE_KEY') {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const key = /^\s*(?:-\s+)?["']?([^"':#\n]+?)["']?\s*:/.exec(text.slice(lineStart))?.[1];
    return { message: key ? `field '${key}' appears twice` : 'a field appears twice', offset };
  }
  const bracket = /end with an? ([\]}])/.exec(message)?.[1];
  if (bracket) {
    const open = bracket === ']' ? '[' : '{';
    const at = unmatchedOpener(text, offset, open, bracket);
    if (at >= 0)
      return { message: `malformed YAML: '${open}' is never closed with '${bracket}'`, offset: at };
  }
  const quote = /^Missing closing (["'])quote/.exec(message)?.[1];
  if (quote) {
    const at = text.lastIndexOf(quote, offset - 1);
    if (at >= 0) return { message: `malformed YAML: the quote ${quote} is never closed`, offset: at };
  }
  const head = (message.split(/ at line \d+, column \d+/)[0] ?? message).trim();
  return { message: `malformed YAML: ${head.charAt(0).toLowerCase()}${head.slice(1)}`, offset };
}

function unmatchedOpener(text: string, before: number, open: string, close: string): number {
  let depth = 0;
  for (let i = Math.min(before, text.length) - 1; i >= 0; i--) {
    if (text[i] === close) depth++;
    else if (text[i] === open) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}
