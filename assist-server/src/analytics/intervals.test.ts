import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketStart, bucketStarts } from './intervals.ts';

test('intervals: hour, day and Monday-week buckets in a fixed offset', () => {
  const t = Date.UTC(2026, 10, 24, 17, 30); // Tuesday 17:30 UTC = Wednesday 01:30 in UTC+8
  assert.equal(bucketStart(t, 'hour'), Date.UTC(2026, 10, 24, 17));
  assert.equal(bucketStart(t, 'day'), Date.UTC(2026, 10, 24));
  assert.equal(bucketStart(t, 'day', 480), Date.UTC(2026, 10, 24, 16)); // local midnight of the 25th
  assert.equal(bucketStart(t, 'week'), Date.UTC(2026, 10, 23)); // Monday
  assert.deepEqual(bucketStarts(Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 3), 'day').length, 2);
});
