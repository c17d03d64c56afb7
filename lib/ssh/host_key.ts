/** Host key types a pinned key may have (OpenSSH's names). */
export const HOST_KEY_TYPES: readonly string[] = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "ssh-rsa",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
];

/** A public host key: its type and base64 blob. */
export interface HostKey {
  type: string;
  blob: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function blobType(blob: string): string | undefined {
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(blob), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
  if (bytes.length < 4) return undefined;
  const len = new DataView(bytes.buffer).getUint32(0);
  if (len > 64 || 4 + len > bytes.length) return undefined;
  return new TextDecoder().decode(bytes.subarray(4, 4 + len));
}

/**
 * Parses a public key line (`ssh-ed25519 AAAA... [comment]`, as in a `.pub`
 * file or `ssh-keyscan`'s output without the host). Returns the key, or the
 * reason it is not one (never echoing the text).
 */
export function parseHostKey(text: string): HostKey | string {
  // deno-lint-ignore no-control-regex
  if (/[\r\n\u0000]/.test(text.trim())) return "must be one line";
  const [type, blob, ...rest] = text.trim().split(/[ \t]+/);
  if (!type || !blob) {
    return 'must be a public key line such as "ssh-ed25519 AAAA..."';
  }
  if (!HOST_KEY_TYPES.includes(type)) {
    return `must start with a known key type (${
      HOST_KEY_TYPES.join(", ")
    }), got ${JSON.stringify(type.slice(0, 40))}`;
  }
  if (!BASE64.test(blob) || blob.length % 4 !== 0) {
    return "must have a base64 key after the type";
  }
  const inner = blobType(blob);
  if (inner !== type) {
    return `has a key blob that is not a ${type} key`;
  }
  // deno-lint-ignore no-control-regex
  if (rest.some((w) => /[\u0000-\u001f\u007f]/.test(w))) {
    return "must not contain control characters";
  }
  return { type, blob };
}

/** Why a host key text is refused, or undefined when it is a key. */
export function hostKeyProblem(text: string): string | undefined {
  const parsed = parseHostKey(text);
  return typeof parsed === "string" ? parsed : undefined;
}

/** The known_hosts name of a host and port (`host`, or `[host]:port` off 22). */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** One known_hosts line pinning `key` for `host:port`. */
export function pinnedKnownHosts(
  host: string,
  port: number,
  key: HostKey,
): string {
  return `${knownHostsName(host, port)} ${key.type} ${key.blob}\n`;
}
