/**
 * In-page probe for bench:ui, as a plain script string (tsx-compiled functions carry helpers the
 * page lacks). Watches the DOM for event tokens (`ev<N>x`); when a token first shows up it waits for
 * the next animation frame and then a task after it (the frame has been painted by then) and
 * records that time on the wall clock: performance.timeOrigin + performance.now(), corrected by its
 * measured offset to Date.now() (the clock the server stamps events with, same machine).
 */
export const PAINT_PROBE = `
(() => {
  const samples = 20;
  let offset = 0;
  for (let i = 0; i < samples; i++) offset += Date.now() - (performance.timeOrigin + performance.now());
  const clockOffsetMs = offset / samples;
  const wall = () => performance.timeOrigin + performance.now() + clockOffsetMs;
  const dom = new Map();
  const painted = new Map();
  let pending = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    const at = wall();
    for (const token of pending) painted.set(token, at);
    pending = [];
  };
  const scan = (text) => {
    if (!text) return;
    for (const m of text.matchAll(/\\bev(\\d+)x\\b/g)) {
      const n = Number(m[1]);
      if (dom.has(n)) continue;
      dom.set(n, wall());
      if (pending.push(n) === 1) requestAnimationFrame(() => channel.port2.postMessage(0));
    }
  };
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === 'characterData') scan(m.target.data);
      else m.addedNodes.forEach((n) => scan(n.textContent));
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
  window.__paintProbe = { clockOffsetMs, results: () => ({ dom: [...dom], painted: [...painted] }), count: () => painted.size };
})();
`;
