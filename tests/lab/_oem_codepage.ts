/**
 * The OEM code pages a Windows console host writes redirected output in (437
 * in the US, 850 in Western Europe). Both are single-byte: 0x00-0x7F is ASCII
 * and 0x80-0xFF map one to one onto the characters below, so decoding and
 * re-encoding is byte-lossless. Tables: Microsoft's, as published by Unicode
 * (MAPPINGS/VENDORS/MICSFT/PC/CP437.TXT and CP850.TXT).
 * @module
 */

/** A code page the lab's `oem_codepage` knob can name. */
export type OemCodePage = 437 | 850;

const HIGH_HALF: Record<OemCodePage, string> = {
  437: "\xc7\xfc\xe9\xe2\xe4\xe0\xe5\xe7\xea\xeb\xe8\xef\xee\xec\xc4\xc5" +
    "\xc9\xe6\xc6\xf4\xf6\xf2\xfb\xf9\xff\xd6\xdc\xa2\xa3\xa5\u20a7\u0192" +
    "\xe1\xed\xf3\xfa\xf1\xd1\xaa\xba\xbf\u2310\xac\xbd\xbc\xa1\xab\xbb" +
    "\u2591\u2592\u2593\u2502\u2524\u2561\u2562\u2556\u2555\u2563\u2551\u2557\u255d\u255c\u255b\u2510" +
    "\u2514\u2534\u252c\u251c\u2500\u253c\u255e\u255f\u255a\u2554\u2569\u2566\u2560\u2550\u256c\u2567" +
    "\u2568\u2564\u2565\u2559\u2558\u2552\u2553\u256b\u256a\u2518\u250c\u2588\u2584\u258c\u2590\u2580" +
    "\u03b1\xdf\u0393\u03c0\u03a3\u03c3\xb5\u03c4\u03a6\u0398\u03a9\u03b4\u221e\u03c6\u03b5\u2229" +
    "\u2261\xb1\u2265\u2264\u2320\u2321\xf7\u2248\xb0\u2219\xb7\u221a\u207f\xb2\u25a0\xa0",
  850: "\xc7\xfc\xe9\xe2\xe4\xe0\xe5\xe7\xea\xeb\xe8\xef\xee\xec\xc4\xc5" +
    "\xc9\xe6\xc6\xf4\xf6\xf2\xfb\xf9\xff\xd6\xdc\xf8\xa3\xd8\xd7\u0192" +
    "\xe1\xed\xf3\xfa\xf1\xd1\xaa\xba\xbf\xae\xac\xbd\xbc\xa1\xab\xbb" +
    "\u2591\u2592\u2593\u2502\u2524\xc1\xc2\xc0\xa9\u2563\u2551\u2557\u255d\xa2\xa5\u2510" +
    "\u2514\u2534\u252c\u251c\u2500\u253c\xe3\xc3\u255a\u2554\u2569\u2566\u2560\u2550\u256c\xa4" +
    "\xf0\xd0\xca\xcb\xc8\u0131\xcd\xce\xcf\u2518\u250c\u2588\u2584\xa6\xcc\u2580" +
    "\xd3\xdf\xd4\xd2\xf5\xd5\xb5\xfe\xde\xda\xdb\xd9\xfd\xdd\xaf\xb4" +
    "\xad\xb1\u2017\xbe\xb6\xa7\xf7\xb8\xb0\xa8\xb7\xb9\xb3\xb2\u25a0\xa0",
};

/** Decodes OEM bytes into text (every byte is a character). */
export function oemDecode(bytes: Uint8Array, codePage: OemCodePage): string {
  const high = HIGH_HALF[codePage];
  let out = "";
  for (const byte of bytes) {
    out += byte < 0x80 ? String.fromCharCode(byte) : high[byte - 0x80];
  }
  return out;
}

/**
 * Encodes text in an OEM code page. A character the code page lacks becomes
 * `?` (Windows may pick a "best fit" character instead; the lab does not
 * model best fit).
 */
export function oemEncode(text: string, codePage: OemCodePage): Uint8Array {
  const high = HIGH_HALF[codePage];
  const out: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) {
      out.push(code);
      continue;
    }
    const index = high.indexOf(char);
    out.push(index < 0 ? 0x3f : 0x80 + index);
  }
  return new Uint8Array(out);
}
