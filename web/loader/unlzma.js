// Decodes a .lzma file (the LZMA "alone" format: a properties byte, the
// dictionary size, the 64-bit unpacked size, then the range-coded stream)
// into a Uint8Array. xtask compresses the wasm this way: LZMA makes it about
// a fifth smaller than the best gzip, and a phone's first load is mostly wasm
// (BENCHMARKS.md). Only files with a known size are accepted, which is what
// xtask writes; a truncated or damaged file throws rather than returning
// wrong bytes. The algorithm is Igor Pavlov's LZMA as its specification
// (LzmaSpec) describes it; names follow it where a short name allows.
const unlzma = (input) => {
  if (input.length < 18 || input[0] >= 225 || input[9] | input[10] | input[11] | input[12]) {
    throw Error("lzma: not a file this page can decode");
  }
  const lc = input[0] % 9;
  const lp = ((input[0] / 9) | 0) % 5;
  const pb = (input[0] / 45) | 0;
  const size = (input[5] | (input[6] << 8) | (input[7] << 16) | (input[8] << 24)) >>> 0;
  let at = 14;
  const next = () => {
    if (at >= input.length) throw Error("lzma: truncated");
    return input[at++];
  };
  // The range decoder's range and code (always below the range), unsigned
  // 32-bit numbers. In a typed array, not in variables: a variable the
  // closures below share would box every value above 2^30 (V8's small
  // integers end there), which made decoding three times slower.
  const rc = new Uint32Array([0xffffffff, 0]);
  for (let i = 0; i < 4; i++) rc[1] = rc[1] * 256 + next();
  if (input[13] || rc[1] === rc[0]) throw Error("lzma: damaged");
  const normalize = () => {
    if (rc[0] < 0x1000000) {
      rc[0] *= 256;
      rc[1] = rc[1] * 256 + next();
    }
  };
  // One bit with its adaptive probability `p[i]` (of a 0, in 1/2048ths).
  const bit = (p, i) => {
    const bound = (rc[0] >>> 11) * p[i];
    let b = 0;
    if (rc[1] < bound) {
      rc[0] = bound;
      p[i] += (2048 - p[i]) >> 5;
    } else {
      rc[0] -= bound;
      rc[1] -= bound;
      p[i] -= p[i] >> 5;
      b = 1;
    }
    normalize();
    return b;
  };
  // `n` bits with even odds, most significant first.
  const direct = (n) => {
    let r = 0;
    while (n--) {
      rc[0] >>>= 1;
      const b = rc[1] >= rc[0] ? 1 : 0;
      if (b) rc[1] -= rc[0];
      r = (r << 1) | b;
      normalize();
    }
    return r;
  };
  // An `n`-bit number from a binary tree of probabilities at `p[base + 1…]`,
  // most significant bit first, or (reverse) least significant first.
  const tree = (p, base, n) => {
    let m = 1;
    for (let i = 0; i < n; i++) m = (m << 1) | bit(p, base + m);
    return m - (1 << n);
  };
  const reverse = (p, base, n) => {
    let m = 1;
    let r = 0;
    for (let i = 0; i < n; i++) {
      const b = bit(p, base + m);
      m = (m << 1) | b;
      r |= b << i;
    }
    return r;
  };
  const table = (n) => new Uint16Array(n).fill(1024);
  // A match length less two: 0–7 and 8–15 per position state, then 16–271.
  const lengths = () => {
    const p = table(514);
    return (posState) =>
      !bit(p, 0) ? tree(p, 2 + posState * 8, 3)
      : !bit(p, 1) ? 8 + tree(p, 130 + posState * 8, 3)
      : 16 + tree(p, 258, 8);
  };
  const isMatch = table(192);
  const isRep = table(12);
  const isRepG0 = table(12);
  const isRepG1 = table(12);
  const isRepG2 = table(12);
  const isRep0Long = table(192);
  const slots = table(256);
  const special = table(115);
  const align = table(16);
  const literals = table(0x300 << (lc + lp));
  const matchLength = lengths();
  const repLength = lengths();
  const out = new Uint8Array(size);
  // `state` (0–11) remembers what the last packets were; the `rep`s are the
  // last four match distances, less one.
  let pos = 0;
  let state = 0;
  let rep0 = 0;
  let rep1 = 0;
  let rep2 = 0;
  let rep3 = 0;
  while (pos < size) {
    const posState = pos & ((1 << pb) - 1);
    if (!bit(isMatch, (state << 4) + posState)) {
      const previous = pos ? out[pos - 1] : 0;
      const base = 0x300 * (((pos & ((1 << lp) - 1)) << lc) + (previous >> (8 - lc)));
      let symbol = 1;
      if (state >= 7) {
        // After a match the literal is coded against the byte the match
        // would have continued with, bit by bit until they differ.
        let matchByte = out[pos - rep0 - 1];
        do {
          const matchBit = (matchByte >> 7) & 1;
          matchByte <<= 1;
          const b = bit(literals, base + ((1 + matchBit) << 8) + symbol);
          symbol = (symbol << 1) | b;
          if (matchBit !== b) break;
        } while (symbol < 0x100);
      }
      while (symbol < 0x100) symbol = (symbol << 1) | bit(literals, base + symbol);
      out[pos++] = symbol - 0x100;
      state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
      continue;
    }
    let length;
    if (bit(isRep, state)) {
      if (!pos) throw Error("lzma: damaged");
      if (!bit(isRepG0, state)) {
        if (!bit(isRep0Long, (state << 4) + posState)) {
          // A single byte from the last distance.
          state = state < 7 ? 9 : 11;
          out[pos] = out[pos - rep0 - 1];
          pos++;
          continue;
        }
      } else {
        let distance;
        if (!bit(isRepG1, state)) {
          distance = rep1;
        } else {
          if (!bit(isRepG2, state)) {
            distance = rep2;
          } else {
            distance = rep3;
            rep3 = rep2;
          }
          rep2 = rep1;
        }
        rep1 = rep0;
        rep0 = distance;
      }
      length = repLength(posState);
      state = state < 7 ? 8 : 11;
    } else {
      rep3 = rep2;
      rep2 = rep1;
      rep1 = rep0;
      length = matchLength(posState);
      state = state < 7 ? 7 : 10;
      const slot = tree(slots, Math.min(length, 3) << 6, 6);
      if (slot < 4) {
        rep0 = slot;
      } else {
        const n = (slot >> 1) - 1;
        rep0 = (2 | (slot & 1)) * 2 ** n;
        rep0 += slot < 14
          ? reverse(special, rep0 - slot, n)
          : direct(n - 4) * 16 + reverse(align, 0, 4);
      }
      // Also the end marker (all ones), which a file of known size has no need of.
      if (rep0 >= pos) throw Error("lzma: damaged");
    }
    length += 2;
    if (length > size - pos) throw Error("lzma: damaged");
    for (; length--; pos++) out[pos] = out[pos - rep0 - 1];
  }
  return out;
};

// In the page's worker: the page posts the downloaded file and gets the
// compiled module back, or a sentence saying why not. Unpacking takes a
// phone a few hundred milliseconds and compiling from bytes some more, which
// on the page's own thread would hold up every tap (Lighthouse's blocking
// time on a phone: about 320 ms compiled on the page, 230 ms here); in a
// worker both run beside the app's JS loading. The worker may compile
// because the server gives scripts a policy that allows it.
globalThis.onmessage = async ({ data }) => {
  try {
    postMessage(await WebAssembly.compile(unlzma(new Uint8Array(data))));
  } catch (error) {
    postMessage(String(error));
  }
};
