/**
 * Remote addresses of a firewall rule (`-RemoteAddress`): what
 * `windows.allow_from` may hold, and the one form both sides are compared
 * in. Windows shows an IPv4 subnet with its mask (`10.0.0.0/255.0.0.0`) and
 * a single address without a prefix, so both are normalised: a prefix
 * length, none for a single host, IPv6 compressed and lower case.
 * @module
 */

/** The most addresses `windows.allow_from` may list. */
export const MAX_ALLOW_FROM = 32;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4(text: string): number[] | undefined {
  const m = text.match(IPV4);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : undefined;
}

function ipv6(text: string): string | undefined {
  if (!text.includes(":") || /[\[\]/%]/.test(text)) return undefined;
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

/** A mask such as `255.255.0.0` as a prefix length, if it is one. */
function maskBits(octets: number[]): number | undefined {
  const bits = octets.map((o) => o.toString(2).padStart(8, "0")).join("");
  return /^1*0*$/.test(bits)
    ? bits.indexOf("0") === -1 ? 32 : bits.indexOf("0")
    : undefined;
}

/**
 * One address in its normal form, or undefined when it is not an IPv4 or
 * IPv6 address with an optional prefix (or, for IPv4, mask).
 */
export function normalizeRemoteAddress(text: string): string | undefined {
  const [addr = "", prefix, extra] = text.trim().split("/");
  if (extra !== undefined) return undefined;
  const v4 = ipv4(addr);
  const v6 = v4 ? undefined : ipv6(addr);
  if (!v4 && v6 === undefined) return undefined;
  const max = v4 ? 32 : 128;
  let bits = max;
  if (prefix !== undefined) {
    const mask = v4 ? ipv4(prefix) : undefined;
    if (mask) {
      const m = maskBits(mask);
      if (m === undefined) return undefined;
      bits = m;
    } else if (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max) {
      bits = Number(prefix);
    } else return undefined;
  }
  const base = v4 ? v4.join(".") : v6!;
  return bits === max ? base : `${base}/${bits}`;
}

/** The entries of a list written with commas and/or spaces. */
function entries(text: string): string[] {
  return text.split(/[\s,]+/).filter((e) => e !== "");
}

/**
 * Why a `windows.allow_from` value is not a list of addresses, or undefined
 * when it is (empty included). A prefix of 0 (every address) is refused:
 * the setting exists to name the Linux host, not to open the port to all.
 */
export function addressListProblem(text: string): string | undefined {
  const list = entries(text);
  if (list.length > MAX_ALLOW_FROM) {
    return `must list at most ${MAX_ALLOW_FROM} addresses, got ${list.length}`;
  }
  for (const entry of list) {
    const normal = normalizeRemoteAddress(entry);
    if (normal === undefined) {
      return `must be IPv4 or IPv6 addresses or subnets (e.g. "192.168.122.1" or "10.0.0.0/24"), separated by commas; "${
        entry.slice(0, 60)
      }" is not one`;
    }
    if (/\/0$/.test(normal)) {
      return `must name the Linux host's addresses: "${entry}" allows every address`;
    }
  }
  return undefined;
}

/** The addresses of a valid list, normalised, without duplicates. */
export function parseAddressList(text: string): string[] {
  const out: string[] = [];
  for (const entry of entries(text)) {
    const normal = normalizeRemoteAddress(entry);
    if (normal !== undefined && !out.includes(normal)) out.push(normal);
  }
  return out;
}

/**
 * Whether a rule's remote addresses (as Windows reports them: `Any`, or a
 * list) are exactly `wanted` (order and notation aside).
 */
export function sameAddresses(
  reported: readonly string[],
  wanted: readonly string[],
): boolean {
  const a = new Set(reported.map((r) => normalizeRemoteAddress(r) ?? r));
  const b = new Set(wanted.map((w) => normalizeRemoteAddress(w) ?? w));
  return a.size === b.size && [...a].every((x) => b.has(x));
}
