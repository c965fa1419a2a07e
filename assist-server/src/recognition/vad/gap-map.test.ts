import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GapMap } from './gap-map.ts';

test('decoder samples map back across skipped audio; an end on a run boundary stays in the run before', () => {
  const map = new GapMap();
  map.fed(1000, 500); // decoder 0..500 ↔ stream 1000..1500
  map.fed(1500, 100); // contiguous: same run, decoder 500..600 ↔ stream 1500..1600
  map.fed(9000, 400); // after a gap: decoder 600..1000 ↔ stream 9000..9400
  assert.equal(map.decoderSamples, 1000);
  assert.equal(map.toStream(0), 1000);
  assert.equal(map.toStream(550), 1550);
  assert.equal(map.toStream(600), 9000, 'a start on the boundary is the next run');
  assert.equal(map.toStream(600, true), 1600, 'an end on the boundary is the run before');
  assert.equal(map.toStream(999, true), 9399);
});

test('with nothing fed the map is the identity', () => {
  assert.equal(new GapMap().toStream(1234), 1234);
});
