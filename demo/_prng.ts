/**
 * A small seeded PRNG (sfc32): the demo archive must come out identical for a seed on
 * every machine and run, which Math.random cannot give.
 */

/** Random draws from one seeded stream. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** `n` hexadecimal characters. */
  hex(n: number): string;
}

// Two hexadecimal characters per byte value, so `hex` does no number formatting.
const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** A generator seeded by an integer; the same seed always yields the same sequence. */
export function createRng(seed: number): Rng {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed | 0;
  const u32 = (): number => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm up so nearby seeds diverge.
  for (let i = 0; i < 15; i++) u32();
  const next = () => u32() / 4294967296;
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError("pick from an empty list");
      return item;
    },
    hex: (n) => {
      let out = "";
      while (out.length < n) {
        const v = u32();
        out += (HEX_BYTES[v >>> 24] ?? "") + (HEX_BYTES[(v >>> 16) & 255] ?? "") +
          (HEX_BYTES[(v >>> 8) & 255] ?? "") + (HEX_BYTES[v & 255] ?? "");
      }
      return out.length === n ? out : out.slice(0, n);
    },
  };
}
