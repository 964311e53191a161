// Where a callback may go (SSRF floor): public unicast addresses only, unless the operator allows a network
// (CALLBACK_ALLOWED_NETWORKS, for development and tests). Checked at registration and again at every attempt,
// on the very address the socket connects to, so a DNS answer that changes in between cannot slip through.
import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Cloud metadata services: link-local or private already, named for a clearer refusal. */
const METADATA = ['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254'];

/** The code of the error a refused connection fails with (postCallback's error class `forbidden_address`). */
export const FORBIDDEN_ADDRESS = 'ERR_FORBIDDEN_ADDRESS';

/**
 * IANA's global unicast space. ipaddr.js names the special blocks inside it (2001::/23, 2001:db8::/32, 2002::/16,
 * 3fff::/20…) but calls "unicast" whatever it does not name outside it, such as the IPv4-compatible ::/96
 * (`[::127.0.0.1]`): so an IPv6 address outside 2000::/3 is never public.
 */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/** ipaddr.js reads every `::a.b.c.d` as IPv4-mapped (`::ffff:a.b.c.d`); the same address in hex it reads right. */
function hexTail(address: string): string {
  return address.includes(':')
    ? address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) => `${((+a << 8) | +b).toString(16)}:${((+c << 8) | +d).toString(16)}`)
    : address;
}

/** What kind of non-public address `ip` is ("a loopback"), or undefined for a public unicast one. */
function nonPublic(ip: ipaddr.IPv4 | ipaddr.IPv6): string | undefined {
  if (METADATA.includes(ip.toString())) return 'a cloud metadata';
  const range = ip.range();
  if (range === 'unicast') {
    if (ip.kind() === 'ipv4' || ip.match(GLOBAL_UNICAST_V6)) return undefined;
    return ip.match(IPV4_COMPATIBLE) ? 'an IPv4-compatible (::/96, deprecated)' : 'a reserved (outside 2000::/3)';
  }
  // NAT64, 6to4 and Teredo addresses are refused whatever IPv4 they embed: a webhook needs none of them.
  return range === 'loopback' ? 'a loopback'
    : range === 'private' || range === 'uniqueLocal' || range === 'carrierGradeNat' ? 'a private'
      : range === 'linkLocal' ? 'a link-local'
        : `a non-public (${range})`;
}

export class ForbiddenAddressError extends Error {
  readonly code = FORBIDDEN_ADDRESS;
}

export class AddressPolicy {
  private constructor(private readonly allowed: Cidr[]) {}

  /** `networks`: CIDRs allowed even though they are not public (`127.0.0.0/8`, `::1/128`). */
  static allowing(networks: readonly string[] = []): AddressPolicy {
    return new AddressPolicy(networks.map((n) => ipaddr.parseCIDR(n)));
  }

  /** Why a connection to `address` (an IP) is refused; undefined when it is allowed. */
  refusal(address: string): string | undefined {
    const ip = ipaddr.process(hexTail(address)); // IPv4-mapped IPv6 as the IPv4 it is
    if (this.allowed.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits))) return undefined;
    const what = nonPublic(ip);
    return what && `${address} is ${what} address; callbacks go to public addresses only (CALLBACK_ALLOWED_NETWORKS)`;
  }

  /** Every address `hostname` resolves to (or the IP it is), and the first refusal among them. */
  async check(hostname: string): Promise<{ addresses: string[]; refusal?: string }> {
    const host = hostname.replace(/^\[(.*)\]$/, '$1');
    const addresses = net.isIP(host) ? [host] : (await dns.promises.lookup(host, { all: true })).map((a) => a.address);
    const refusal = addresses.map((a) => this.refusal(a)).find(Boolean);
    return { addresses, ...(refusal ? { refusal } : {}) };
  }

  /** A `lookup` for sockets: resolves, then fails the connection when any answer is refused. */
  readonly lookup = (
    hostname: string,
    options: LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, answers) => {
      if (err) return callback(err, []);
      const refusal = answers.map((a) => this.refusal(a.address)).find(Boolean);
      if (refusal) return callback(new ForbiddenAddressError(`${hostname}: ${refusal}`), []);
      if (options.all) return callback(null, answers);
      callback(null, answers[0].address, answers[0].family);
    });
  };
}
