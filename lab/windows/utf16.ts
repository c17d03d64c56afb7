/** Base64 of a text's UTF-16LE bytes, as `-EncodedCommand` takes it. */
export function encodeUtf16leBase64(text: string): string {
  let binary = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    binary += String.fromCharCode(code & 0xff, code >> 8);
  }
  return btoa(binary);
}
