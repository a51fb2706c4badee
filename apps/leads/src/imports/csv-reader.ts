import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/**
 * One record of a CSV file: its cells, or why it could not be read; `line` is where it starts
 * as a person counts lines in an editor (the header is line 1, CRLF counts once, a line break
 * inside a quoted cell starts a new line).
 */
export interface CsvRecord {
  line: number;
  cells?: string[];
  /** The record's text as in the file, without its line end (csvCells reads it again). */
  raw?: string;
  error?: string;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** A record this long is refused rather than kept growing (an unclosed quote, a binary file). */
export const MAX_RECORD_CHARS = 1 << 20;

/** Line breaks in a piece of text, CRLF counting once. */
function lineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) n++;
    else if (c === CR && text.charCodeAt(i + 1) !== LF) n++;
  }
  return n;
}

/** The index just past the line break at or after `from`, or -1 when there is none yet. */
function pastLineBreak(text: string, from: number, final: boolean): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) return i + 1;
    if (c === CR) {
      if (i + 1 >= text.length && !final) return -1;
      return text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
    }
  }
  return final ? text.length : -1;
}

/**
 * An incremental reader of CSV as people export it (RFC 4180 and its common variants):
 * comma-separated, cells optionally in double quotes with `""` for a quote, CRLF, LF or CR
 * line ends (mixed too), a UTF-8 byte-order mark ignored, rows of any length, an empty line
 * read as one empty cell. Chunks may split a character, a line end or a quoted cell anywhere.
 *
 * A malformed record (a quote inside an unquoted cell, text after a closing quote, a quote
 * never closed, a record over MAX_RECORD_CHARS) comes back as an error at the line it starts
 * on, and reading resumes at the next line; nothing is silently dropped.
 *
 * Written for the import's hot path: a million-row file took csv-parse's stream 4.7-6.3 s of
 * CPU and this reader 1.4-2.0 s (docs/leads.md, "Import").
 */
export class CsvReader {
  private readonly decoder = new StringDecoder('utf8');
  private tail = '';
  private line = 1;
  private started = false;
  /** Inside an over-long line: everything up to its end is dropped. */
  private skippingLine = false;

  constructor(private readonly maxRecordChars = MAX_RECORD_CHARS) {}

  /** The line the latest record read ended on. */
  get lastLine(): number {
    return this.line - 1;
  }

  /** The records a chunk completes; an unfinished last record waits for the next chunk. */
  push(chunk: Buffer): CsvRecord[] {
    return this.read(this.decoder.write(chunk), false);
  }

  /** The records left at the end of the file. */
  end(): CsvRecord[] {
    return this.read(this.decoder.end(), true);
  }

  /** The records of a whole text. */
  readText(text: string): CsvRecord[] {
    return this.read(text, true);
  }

  private read(decoded: string, final: boolean): CsvRecord[] {
    let text = this.tail + decoded;
    if (!this.started && text.length) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const out: CsvRecord[] = [];
    let i = 0;
    if (this.skippingLine) {
      const next = pastLineBreak(text, 0, final);
      if (next < 0) {
        this.tail = '';
        return out;
      }
      this.skippingLine = false;
      this.line++;
      i = next;
    }
    while (i < text.length) {
      const next = this.record(text, i, final, out);
      if (next < 0) break;
      i = next;
    }
    this.tail = text.slice(i);
    if (this.tail.length > this.maxRecordChars) {
      out.push({
        line: this.line,
        error: `a record longer than ${this.maxRecordChars} characters (is a quote not closed?)`,
      });
      const next = pastLineBreak(this.tail, 0, final);
      if (next < 0) {
        this.skippingLine = true;
        this.tail = '';
      } else {
        this.line++;
        this.tail = this.tail.slice(next);
        // What follows the long line is read with the next chunk (or now, at the end).
        if (final) out.push(...this.read('', true));
      }
    }
    return out;
  }

  /**
   * Reads the record starting at `start` into `out`; returns where the next one starts, or -1
   * when the text ends inside it and more is to come.
   */
  private record(text: string, start: number, final: boolean, out: CsvRecord[]): number {
    const end = text.length;
    const cells: string[] = [];
    let breaks = 0;
    let i = start;
    // Where the record's text stops: its line end, or the end of the file.
    let stop = end;
    for (;;) {
      if (i < end && text.charCodeAt(i) === QUOTE) {
        let value = '';
        let from = i + 1;
        let j = from;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0 || (q + 1 >= end && !final)) {
            if (!final) return -1;
            const error = 'a quoted cell is not closed before the end of the file';
            return this.fail(text, start, end, final, out, error, true);
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            j = from = q + 2;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          break;
        }
        cells.push(value);
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) breaks += lineBreaks(value);
        if (i >= end) break;
        const c = text.charCodeAt(i);
        if (c === COMMA) {
          i++;
          continue;
        }
        if (c === LF) {
          stop = i++;
          break;
        }
        if (c === CR) {
          if (i + 1 >= end && !final) return -1;
          stop = i;
          i += text.charCodeAt(i + 1) === LF ? 2 : 1;
          break;
        }
        const error = `text after the closing quote of column ${cells.length}`;
        return this.fail(text, start, i, final, out, error);
      }
      let j = i;
      let c = 0;
      while (j < end) {
        c = text.charCodeAt(j);
        if (c === COMMA || c === LF || c === CR || c === QUOTE) break;
        j++;
      }
      if (j >= end) {
        if (!final) return -1;
        cells.push(text.slice(i, j));
        i = j;
        break;
      }
      if (c === QUOTE) {
        const error = `a quote inside the unquoted column ${cells.length + 1}`;
        return this.fail(text, start, j, final, out, error);
      }
      cells.push(text.slice(i, j));
      if (c === COMMA) {
        // A comma just before the end of the file leaves an empty last cell (next turn).
        i = j + 1;
        continue;
      }
      stop = j;
      if (c === LF) {
        i = j + 1;
        break;
      }
      if (j + 1 >= end && !final) return -1;
      i = j + (text.charCodeAt(j + 1) === LF ? 2 : 1);
      break;
    }
    out.push({ line: this.line, cells, raw: text.slice(start, stop) });
    this.line += 1 + breaks;
    return i;
  }

  /**
   * Reports the record starting at `start` as malformed (the problem found at `at`) and skips
   * to the end of the line the problem is on; -1 when that line has not fully arrived yet.
   */
  private fail(
    text: string,
    start: number,
    at: number,
    final: boolean,
    out: CsvRecord[],
    error: string,
    toEnd = false,
  ): number {
    const next = toEnd ? text.length : pastLineBreak(text, at, final);
    if (next < 0) return -1;
    out.push({ line: this.line, error });
    this.line += toEnd ? 1 + lineBreaks(text.slice(start)) : 1 + lineBreaks(text.slice(start, at));
    return next;
  }
}

/** How far readCsvFile has got: bytes read from the file, the line its last record ended on. */
export interface CsvProgress {
  bytesRead: number;
  lastLine: number;
}

/**
 * Reads a CSV file in chunks, yielding each chunk's records together (one await per chunk,
 * not per record).
 */
export async function* readCsvFile(
  file: string,
  chunkBytes: number,
  progress: CsvProgress = { bytesRead: 0, lastLine: 0 },
): AsyncGenerator<CsvRecord[]> {
  const reader = new CsvReader();
  const stream = fs.createReadStream(file, { highWaterMark: chunkBytes });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      progress.bytesRead += chunk.length;
      const records = reader.push(chunk);
      progress.lastLine = reader.lastLine;
      if (records.length) yield records;
    }
    const rest = reader.end();
    progress.lastLine = reader.lastLine;
    if (rest.length) yield rest;
  } finally {
    stream.destroy();
  }
}

/** The cells of one record's text (CsvRecord.raw). */
export function csvCells(raw: string): string[] {
  return new CsvReader().readText(raw)[0]?.cells ?? [''];
}

/** An empty or whitespace-only line: not a row, not an error. */
export const isBlank = (record: string[]): boolean =>
  record.length === 1 && record[0].trim() === '';
