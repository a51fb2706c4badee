/**
 * Line numbers of CSV records as a person counts them in an editor (header = line 1).
 * csv-parse's `info.lines` counts a CRLF inside a quoted field as two line breaks; this
 * corrects that, and gives the line a record starts on, not the one it ends on.
 */
export class CsvLineCounter {
  private overcount = 0;
  /** The line the latest record ended on. */
  lastSeen = 0;

  /** `endLine` is csv-parse's info.lines for the record. */
  startLine(record: string[], endLine: number): number {
    let inside = 0;
    for (const cell of record) {
      if (cell.length < 2 || (!cell.includes('\n') && !cell.includes('\r'))) continue;
      const crlf = cell.split('\r\n').length - 1;
      this.overcount += crlf;
      inside += (cell.match(/\r\n|\r|\n/g) ?? []).length;
    }
    this.lastSeen = endLine - this.overcount;
    return this.lastSeen - inside;
  }
}
