/**
 * Which source addresses may send SIP: a list of IPv4/IPv6 addresses and CIDR networks
 * (`10.1.0.0/16`, `192.0.2.7`, `fd00::/8`). An empty list allows every source (the lead's config
 * should set one in production). IPv4-mapped IPv6 (`::ffff:10.1.2.3`) is checked as IPv4.
 */
import { BlockList, isIP } from 'node:net';
import { BridgeError } from '../../core/errors.ts';

export class SourceAllowList {
  readonly #list = new BlockList();
  readonly size: number;

  constructor(entries: readonly string[] = []) {
    for (const raw of entries) {
      const entry = raw.trim();
      const [address, bits] = entry.split('/');
      const family = isIP(address ?? '');
      const prefix = bits === undefined ? undefined : Number(bits);
      if (family === 0 || (prefix !== undefined && (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)))) {
        throw new BridgeError('EARPIECE_SIP_BAD_ALLOW_LIST', `"${entry}" is not an IP address or CIDR network (e.g. 10.0.0.0/8, 192.0.2.7, fd00::/8)`);
      }
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.#list.addAddress(address!, type);
      else this.#list.addSubnet(address!, prefix, type);
    }
    this.size = entries.length;
  }

  allows(address: string): boolean {
    if (this.size === 0) return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    const plain = mapped ? mapped[1]! : address;
    const family = isIP(plain);
    if (family === 0) return false;
    return this.#list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  }
}
