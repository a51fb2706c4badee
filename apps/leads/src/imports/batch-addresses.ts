/**
 * Whether a batch repeats an address (its direct COPY would then fail on the unique index),
 * kept as two 32-bit hashes per address in typed arrays instead of a Set of the strings: a
 * Set held every row's address as a heap object until the batch was written, which the
 * young-generation collections copied and promoted (docs/leads.md, "Where the CPU goes").
 * Two different addresses with both hashes equal (about n² / 2^65 for a batch of n) would
 * only send that batch the checked way, which classifies every row exactly.
 */
export class BatchAddresses {
  private size = 0;
  private bits: number;
  /** Two hashes per slot; a slot is taken when `used` says so. */
  private hashes: Int32Array;
  private used: Uint8Array;

  constructor(expected = 1 << 13) {
    this.bits = Math.max(4, Math.ceil(Math.log2(expected * 2)));
    this.hashes = new Int32Array(2 << this.bits);
    this.used = new Uint8Array(1 << this.bits);
  }

  /** Adds an address; true when the batch already had it (or one with the same hashes). */
  add(address: string): boolean {
    // FNV-1a and a multiply-xorshift over the same characters, in one pass.
    let a = 0x811c9dc5;
    let b = 0x2545f491;
    for (let i = 0; i < address.length; i++) {
      const c = address.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    if (this.size * 2 >= this.used.length) this.grow();
    return this.insert(a | 0, b | 0);
  }

  private insert(a: number, b: number): boolean {
    const mask = this.used.length - 1;
    // The high bits of a mixed value: FNV's low bits mix poorly.
    let slot = Math.imul(a ^ (a >>> 16), 0x85ebca6b) >>> (32 - this.bits);
    while (this.used[slot]) {
      if (this.hashes[2 * slot] === a && this.hashes[2 * slot + 1] === b) return true;
      slot = (slot + 1) & mask;
    }
    this.used[slot] = 1;
    this.hashes[2 * slot] = a;
    this.hashes[2 * slot + 1] = b;
    this.size++;
    return false;
  }

  private grow(): void {
    const { hashes, used } = this;
    this.bits++;
    this.hashes = new Int32Array(2 << this.bits);
    this.used = new Uint8Array(1 << this.bits);
    this.size = 0;
    for (let slot = 0; slot < used.length; slot++)
      if (used[slot]) this.insert(hashes[2 * slot], hashes[2 * slot + 1]);
  }
}
