/**
 * Which of an import's `parts` write streams a row belongs to. A valid row goes by its
 * normalised email (FNV-1a, 32-bit), so every occurrence of an address is in one stream: two
 * connections never insert, lock or update the same lead (no deadlocks), and within a stream
 * the batches commit in file order, so the first line of a repeated email still wins. A row
 * without a usable email (rejected) goes by its line. Both depend only on the file, so a
 * worker that resumes the job splits it the same way.
 */
export function partOfEmail(normalized: string, parts: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < normalized.length; i++) {
    h ^= normalized.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // The high bits: FNV's low bits mix poorly (bit 0 is just the parity of the characters).
  return Math.floor(((h >>> 0) / 2 ** 32) * parts);
}

export function partOfLine(line: number, parts: number): number {
  return line % parts;
}
