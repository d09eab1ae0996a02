/**
 * A fixed-size Bloom filter over strings: "certainly not seen" answers without touching SQLite.
 * 2^24 bits (2 MiB) and two hashes keep false positives near 1.4% at a million entries.
 */
export class BloomFilter {
  readonly #bits: Uint32Array;
  readonly #mask: number;

  constructor(log2Bits = 24) {
    this.#bits = new Uint32Array((1 << log2Bits) >>> 5);
    this.#mask = (1 << log2Bits) - 1;
  }

  add(value: string): void {
    const [a, b] = hashes(value);
    this.#set(a & this.#mask);
    this.#set(b & this.#mask);
  }

  mightHave(value: string): boolean {
    const [a, b] = hashes(value);
    return this.#get(a & this.#mask) && this.#get(b & this.#mask);
  }

  #set(bit: number): void {
    this.#bits[bit >>> 5] = (this.#bits[bit >>> 5] ?? 0) | (1 << (bit & 31));
  }

  #get(bit: number): boolean {
    return ((this.#bits[bit >>> 5] ?? 0) & (1 << (bit & 31))) !== 0;
  }
}

/** FNV-1a and a multiplicative variant, both 32-bit. */
function hashes(value: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [a >>> 0, b >>> 0];
}
