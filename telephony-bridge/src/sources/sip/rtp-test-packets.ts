/**
 * Test support: G.711 RTP packets from PCM (20 ms, 160 samples each), as a PBX would send them,
 * and a pcap file (Ethernet/IPv4/UDP/RTP) of them for SIPp's play_pcap_audio.
 */
import { writeFileSync } from 'node:fs';
import alawmulaw from 'alawmulaw';

const { mulaw, alaw } = alawmulaw;

export interface RtpPacketsOptions {
  pt: 0 | 8;
  ssrc?: number;
  firstSeq?: number;
  firstTimestamp?: number;
}

/** 8 kHz PCM → RTP packets of 160 samples (the last one padded with silence). */
export function g711RtpPackets(pcm8k: Int16Array, o: RtpPacketsOptions): Buffer[] {
  const padded = new Int16Array(Math.ceil(pcm8k.length / 160) * 160);
  padded.set(pcm8k);
  const payload = o.pt === 0 ? mulaw.encode(padded) : alaw.encode(padded);
  const packets: Buffer[] = [];
  for (let i = 0; i * 160 < padded.length; i++) {
    const header = Buffer.alloc(12);
    header[0] = 0x80;
    header[1] = o.pt | (i === 0 ? 0x80 : 0);
    header.writeUInt16BE(((o.firstSeq ?? 1000) + i) & 0xffff, 2);
    header.writeUInt32BE(((o.firstTimestamp ?? 16000) + i * 160) >>> 0, 4);
    header.writeUInt32BE(o.ssrc ?? 0x1234abcd, 8);
    packets.push(Buffer.concat([header, Buffer.from(payload.subarray(i * 160, (i + 1) * 160))]));
  }
  return packets;
}

/** The PCM a receiver decodes from those packets (G.711 is lossy: compare with this). */
export function g711RoundTrip(pcm8k: Int16Array, pt: 0 | 8): Int16Array {
  return pt === 0 ? mulaw.decode(mulaw.encode(pcm8k)) : alaw.decode(alaw.encode(pcm8k));
}

/** Writes a classic pcap (LINKTYPE_ETHERNET) with one UDP datagram per RTP packet, 20 ms apart. */
export function writeRtpPcap(path: string, packets: Buffer[], o: { srcPort?: number; dstPort?: number } = {}): void {
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(1, 20);
  const records = packets.map((rtp, i) => {
    const udpLen = 8 + rtp.length;
    const ipLen = 20 + udpLen;
    const frame = Buffer.alloc(14 + ipLen);
    frame.writeUInt16BE(0x0800, 12); // EtherType IPv4 (MACs zero)
    const ip = frame.subarray(14);
    ip[0] = 0x45;
    ip.writeUInt16BE(ipLen, 2);
    ip.writeUInt16BE(i & 0xffff, 4);
    ip[8] = 64;
    ip[9] = 17; // UDP
    Buffer.from([127, 0, 0, 1]).copy(ip, 12);
    Buffer.from([127, 0, 0, 1]).copy(ip, 16);
    let sum = 0;
    for (let k = 0; k < 20; k += 2) sum += ip.readUInt16BE(k);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    ip.writeUInt16BE(~sum & 0xffff, 10);
    const udp = ip.subarray(20);
    udp.writeUInt16BE(o.srcPort ?? 6000, 0);
    udp.writeUInt16BE(o.dstPort ?? 6002, 2);
    udp.writeUInt16BE(udpLen, 4);
    rtp.copy(udp, 8);
    const rec = Buffer.alloc(16);
    const us = i * 20000;
    rec.writeUInt32LE(1_700_000_000 + Math.floor(us / 1e6), 0);
    rec.writeUInt32LE(us % 1e6, 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    return Buffer.concat([rec, frame]);
  });
  writeFileSync(path, Buffer.concat([global, ...records]));
}
