/**
 * SIPREC bodies for tests and the SIPp scenario: SDP with two labelled sendonly m-lines and
 * RFC 7865 metadata naming an agent (extension 1001) and a customer, in the RFC 7865 style
 * (participantstreamassoc, `tns:` prefix optional) and the older style (send/recv inside
 * participant, `id=` attributes).
 */
export function siprecSdp(o: { address?: string; ports?: [number, number]; direction?: string; pt?: number } = {}): string {
  const address = o.address ?? '127.0.0.1';
  const [p1, p2] = o.ports ?? [40000, 40002];
  const pt = o.pt ?? 0;
  const name = pt === 8 ? 'PCMA' : 'PCMU';
  const dir = o.direction ?? 'sendonly';
  return [
    'v=0', `o=SRC 1 1 IN IP4 ${address}`, 's=SIPREC', `c=IN IP4 ${address}`, 't=0 0',
    `m=audio ${p1} RTP/AVP ${pt} 101`, `a=rtpmap:${pt} ${name}/8000`, 'a=rtpmap:101 telephone-event/8000', 'a=label:1', `a=${dir}`,
    `m=audio ${p2} RTP/AVP ${pt} 101`, `a=rtpmap:${pt} ${name}/8000`, 'a=rtpmap:101 telephone-event/8000', 'a=label:2', `a=${dir}`,
    '',
  ].join('\r\n');
}

/** Customer sends the stream labelled `customerLabel`, agent (sip:1001@pbx) the other. */
export function siprecMetadata(o: { customerLabel?: '1' | '2'; prefix?: boolean; customer?: string } = {}): string {
  const p = o.prefix ? 'tns:' : '';
  const customerLabel = o.customerLabel ?? '1';
  const agentLabel = customerLabel === '1' ? '2' : '1';
  const customer = o.customer ?? 'sip:+14155550142@carrier.example.com';
  return `<?xml version="1.0" encoding="UTF-8"?>
<${p}recording xmlns${o.prefix ? ':tns' : ''}="urn:ietf:params:xml:ns:recording:1">
  <${p}datamode>complete</${p}datamode>
  <${p}session session_id="c2Vzc2lvbjE="><${p}sipSessionID>abc</${p}sipSessionID></${p}session>
  <${p}participant participant_id="cGFydDE=">
    <${p}nameID aor="${customer}"><${p}name xml:lang="en">Customer</${p}name></${p}nameID>
  </${p}participant>
  <${p}participant participant_id="cGFydDI=">
    <${p}nameID aor="sip:1001@pbx.example.com"><${p}name>Agent Smith</${p}name></${p}nameID>
  </${p}participant>
  <${p}stream stream_id="c3RyZWFtMQ==" session_id="c2Vzc2lvbjE="><${p}label>${customerLabel}</${p}label></${p}stream>
  <${p}stream stream_id="c3RyZWFtMg==" session_id="c2Vzc2lvbjE="><${p}label>${agentLabel}</${p}label></${p}stream>
  <${p}participantstreamassoc participant_id="cGFydDE=">
    <${p}send>c3RyZWFtMQ==</${p}send><${p}recv>c3RyZWFtMg==</${p}recv>
  </${p}participantstreamassoc>
  <${p}participantstreamassoc participant_id="cGFydDI=">
    <${p}send>c3RyZWFtMg==</${p}send><${p}recv>c3RyZWFtMQ==</${p}recv>
  </${p}participantstreamassoc>
</${p}recording>
`;
}

/** Older-draft style (AudioCodes fixtures): send/recv inside participant, `id=` attributes. */
export function siprecMetadataOldStyle(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<recording xmlns='urn:ietf:params:xml:ns:recording'>
  <datamode>complete</datamode>
  <session id="s1"><start-time>2024-01-01T10:00:00Z</start-time></session>
  <participant id="p1" session="s1"><nameID aor="sip:1001@10.0.0.1"/><send>st1</send><recv>st2</recv></participant>
  <participant id="p2" session="s1"><nameID aor="sip:0044207946000@10.0.0.1"/><send>st2</send><recv>st1</recv></participant>
  <stream id="st1" session="s1"><label>1</label></stream>
  <stream id="st2" session="s1"><label>2</label></stream>
</recording>
`;
}

export function multipartBody(parts: Array<{ type: string; body: string; disposition?: string }>, boundary: string, eol = '\r\n'): string {
  const chunks = parts.map((p) => [`--${boundary}`, `Content-Type: ${p.type}`, ...(p.disposition ? [`Content-Disposition: ${p.disposition}`] : []), '', p.body.replace(/\r?\n/g, eol)].join(eol));
  return `${chunks.join(eol)}${eol}--${boundary}--${eol}`;
}
