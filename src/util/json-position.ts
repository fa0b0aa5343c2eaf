/**
 * Where a JSON text first goes wrong: a small recursive-descent scanner run only after JSON.parse
 * has failed (Node 20's messages do not always carry a position). Returns the offset of the first
 * offending character (text.length for a premature end) and what was expected there.
 */
export function jsonErrorOffset(text: string): { offset: number; expected: string } | null {
  let i = 0;
  class Stop {
    constructor(
      readonly offset: number,
      readonly expected: string,
    ) {}
  }
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (expected: string): never => {
    throw new Stop(i, expected);
  };
  const lit = (w: string): void => {
    if (text.startsWith(w, i)) i += w.length;
    else fail(`"${w}"`);
  };
  const str = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail('a closing quote (control character in a string)');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('four hex digits after \\u');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail('a valid escape');
      }
      i++;
    }
    if (i >= text.length) fail('a closing quote');
    i++;
  };
  const num = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail('a value');
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a property name in double quotes');
        str();
        ws();
        if (text[i] !== ':') fail('":"');
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail('"," or "}"');
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail('"," or "]"');
      }
    } else if (c === '"') str();
    else if (c === 't') lit('true');
    else if (c === 'f') lit('false');
    else if (c === 'n') lit('null');
    else num();
  };
  try {
    value();
    ws();
    if (i < text.length) fail('the end of the file');
    return null;
  } catch (e) {
    if (e instanceof Stop) return { offset: e.offset, expected: e.expected };
    throw e;
  }
}

/** Line and column (1-based) of character `offset` of `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset)).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/**
 * Offset in a valid JSON text of the value at `path` (object keys and array indices); for a missing
 * key, the offset of the nearest enclosing value. Used to give a schema problem its line and column.
 */
export function jsonPathOffset(text: string, path: readonly (string | number)[]): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const skipString = (): string => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const skipValue = (): void => {
    ws();
    const c = text[i];
    if (c === '"') {
      skipString();
      return;
    }
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          skipString();
          ws();
          i++;
        }
        skipValue();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        i++;
        return;
      }
    }
    while (i < text.length && !',]} \t\n\r'.includes(text[i])) i++;
  };
  ws();
  let found = i;
  for (const seg of path) {
    ws();
    const c = text[i];
    if (c !== '{' && c !== '[') return found;
    const start = i;
    i++;
    ws();
    let hit = false;
    if (c === '{') {
      while (text[i] !== '}' && i < text.length) {
        ws();
        const keyAt = i;
        const key = skipString();
        ws();
        i++;
        ws();
        if (key === String(seg)) {
          hit = true;
          found = keyAt;
          break;
        }
        skipValue();
        ws();
        if (text[i] === ',') i++;
        ws();
      }
    } else {
      for (let k = 0; text[i] !== ']' && i < text.length; k++) {
        ws();
        if (k === seg) {
          hit = true;
          found = i;
          break;
        }
        skipValue();
        ws();
        if (text[i] === ',') i++;
        ws();
      }
    }
    if (!hit) return found === start ? start : found;
  }
  return found;
}
