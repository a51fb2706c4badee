/**
 * Line numbers of CSV records as a person counts them in an editor (header = line 1).
 * The parser is run without its own line info (cheaper on a million rows) and without
 * skipping blank lines, so every record is exactly one line plus the line breaks inside its
 * quoted cells (CRLF counting once).
 */
export class CsvLineCounter {
  private next = 1;

  /** Call for every record the parser emits, blank ones included; returns its first line. */
  startLine(record: string[]): number {
    const start = this.next;
    let inside = 0;
    for (const cell of record) {
      if (cell.includes('\n') || cell.includes('\r'))
        inside += (cell.match(/\r\n|\r|\n/g) ?? []).length;
    }
    this.next = start + 1 + inside;
    return start;
  }

  /** The line the latest record ended on. */
  get lastSeen(): number {
    return this.next - 1;
  }
}

/** An empty or whitespace-only line: not a row, not an error. */
export const isBlank = (record: string[]): boolean =>
  record.length === 1 && record[0].trim() === '';

/**
 * How an import reads its CSV (csv-parse): BOM or not, any line ending, rows of any length
 * (the header mapping decides), a malformed record reported by line instead of ending the job.
 */
export const CSV_PARSE_OPTIONS = {
  bom: true,
  relax_column_count: true,
  skip_records_with_error: true,
  record_delimiter: ['\r\n', '\n', '\r'],
};
