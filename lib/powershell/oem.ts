/**
 * Windows OEM code pages: what Windows PowerShell 5.1's console host writes
 * with when its output is redirected (its writer is captured before any
 * script can switch `[Console]::OutputEncoding`; ../shared/windows-facts.md,
 * "Output encoding"). 437 is the US default, 850 the Western European one.
 * Bytes 0x00-0x7F are ASCII in both.
 */

/** The OEM code pages this tool can read. */
export type OemCodePage = 437 | 850;

/** Bytes 0x80-0xFF of each code page, in order (the code pages' published tables). */
const HIGH: Record<OemCodePage, string> = {
  437:
    "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0",
  850:
    "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0",
};

/** Decodes bytes in an OEM code page; every byte maps to one character. */
export function decodeOem(bytes: Uint8Array, codePage: OemCodePage): string {
  const high = HIGH[codePage];
  let text = "";
  for (const b of bytes) {
    text += b < 0x80 ? String.fromCharCode(b) : high.charAt(b - 0x80);
  }
  return text;
}

/**
 * Decodes one line of Windows output: UTF-8 when the bytes are valid UTF-8
 * (what the tool's own writers produce), else the OEM code page (what the
 * console host produces). Valid UTF-8 of non-ASCII text is never valid OEM
 * text by accident in practice, and OEM text with bytes above 0x7F is rarely
 * valid UTF-8.
 */
export function decodeWindowsLine(
  bytes: Uint8Array,
  codePage: OemCodePage = 437,
): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return decodeOem(bytes, codePage);
  }
}

/**
 * Decodes Windows output line by line ({@linkcode decodeWindowsLine}), so one
 * OEM line does not spoil UTF-8 lines around it. Line ends are kept as sent.
 */
export function decodeWindowsText(
  bytes: Uint8Array,
  codePage: OemCodePage = 437,
): string {
  let text = "";
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      const end = i === bytes.length ? i : i + 1;
      if (end > start) {
        text += decodeWindowsLine(bytes.subarray(start, end), codePage);
      }
      start = end;
    }
  }
  return text;
}
