/** Bytes → what they are: a zip (xlsx), an OLE compound file (xls), or text (UTF-8/UTF-16/Latin-1). */
import { JartcalError } from '../util/errors.js';

export type FileKind = 'xlsx' | 'xls' | 'text';

export function sniffKind(bytes: Uint8Array): FileKind {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'xlsx';
  if (bytes.length >= 8 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'xls';
  return 'text';
}

/** Decodes a text file; refuses empty and binary content with a clear error. */
export function decodeText(bytes: Uint8Array, file: string): string {
  if (bytes.length === 0)
    throw new JartcalError('the file is empty; expected a measurement table (CSV/TSV/DAT text, or an xlsx/xls workbook).', {
      code: 'empty_file',
      location: { file },
    });
  let text: string;
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else {
    checkNotBinary(bytes, file);
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = new TextDecoder('latin1').decode(bytes);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.slice(0, 65536).includes(String.fromCharCode(0))) {
    throw new JartcalError('the file looks binary (NUL characters); expected a text table or an xlsx/xls workbook.', {
      code: 'binary_file',
      location: { file },
    });
  }
  if (text.trim() === '')
    throw new JartcalError('the file holds only white space; expected a measurement table.', { code: 'empty_file', location: { file } });
  return text;
}

function checkNotBinary(bytes: Uint8Array, file: string): void {
  const n = Math.min(bytes.length, 65536);
  let ctrl = 0;
  for (let k = 0; k < n; k++) {
    const b = bytes[k];
    if (b === 0) {
      throw new JartcalError('the file looks binary (NUL bytes); expected a text table (CSV/TSV/DAT) or an xlsx/xls workbook.', {
        code: 'binary_file',
        location: { file },
      });
    }
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) ctrl++;
  }
  if (ctrl > 0.05 * n) {
    throw new JartcalError('the file looks binary (control bytes); expected a text table (CSV/TSV/DAT) or an xlsx/xls workbook.', {
      code: 'binary_file',
      location: { file },
    });
  }
}
