/**
 * A fixed-size Bloom filter over strings: "certainly not seen" answers without touching SQLite.
 * 2^24 bits (2 MiB) and two hashes keep false positives near 1.4% at a million entries.
 */
export class BloomFilter {
  /**
   * Sized for about `entries` (16 bits each, 2^12 to 2^24 bits): a three-record file no longer
   * allocates and zeroes 2 MiB per filter. Too small a guess only costs lookups, never answers.
   */
  static forEntries(entries: number): BloomFilter {
    const log2 = Math.ceil(Math.log2(Math.max(1, entries) * 16));
    return new BloomFilter(Math.min(24, Math.max(12, log2)));
  }

  readonly #bits: Uint32Array;
  readonly #mask: number;

  constructor(log2Bits = 24) {
    this.#bits = new Uint32Array((1 << log2Bits) >>> 5);
    this.#mask = (1 << log2Bits) - 1;
  }

  add(value: string): void {
    hashes(value);
    this.#set(hashA & this.#mask);
    this.#set(hashB & this.#mask);
  }

  mightHave(value: string): boolean {
    hashes(value);
    return this.#get(hashA & this.#mask) && this.#get(hashB & this.#mask);
  }

  #set(bit: number): void {
    this.#bits[bit >>> 5] = (this.#bits[bit >>> 5] ?? 0) | (1 << (bit & 31));
  }

  #get(bit: number): boolean {
    return ((this.#bits[bit >>> 5] ?? 0) & (1 << (bit & 31))) !== 0;
  }
}

/** The two hashes of the last `hashes` call: module variables, so a lookup allocates nothing. */
let hashA = 0;
let hashB = 0;

/** FNV-1a and a multiplicative variant, both 32-bit. */
function hashes(value: string): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  hashA = a >>> 0;
  hashB = b >>> 0;
}
