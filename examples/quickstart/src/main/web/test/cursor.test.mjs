// The cursor rules of docs/protocol.md (PC_SYNC), as src/cursor.js applies them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  RECENT_IDS, applySyncPage, classifyPush, delivered, newDevice, restore, syncRequest,
} from '../src/cursor.js';

const page = (epoch, startSeq, seqs, hasMore = false) => ({
  epoch, startSeq, hasMore, messages: seqs.map((seq) => ({ seq, messageId: 1000 + seq })),
});

test('a new device sends seq 0 once, then its cursor', () => {
  let s = newDevice();
  assert.deepEqual(syncRequest(s), { seq: 0, fromStart: false });
  s = applySyncPage(s, page(7, 4, [5, 6])).state;
  assert.deepEqual(syncRequest(s), { seq: 6, fromStart: false });
});

test('an empty first page still moves the cursor to start_seq', () => {
  const { state, deliver } = applySyncPage(newDevice(), page(7, 42, []));
  assert.equal(state.cursor, 42);
  assert.equal(state.epoch, 7);
  assert.deepEqual(deliver, []);
  assert.deepEqual(syncRequest(state), { seq: 42, fromStart: false });
});

test('a known cursor of 0 never becomes a bare seq 0 again', () => {
  const { state } = applySyncPage(newDevice(), page(7, 0, []));
  assert.equal(state.cursor, 0);
  assert.deepEqual(syncRequest(state), { seq: 0, fromStart: true });
});

test('the cursor is the larger of start_seq and the last seq, never going back', () => {
  let s = applySyncPage(newDevice(), page(1, 10, [11, 12], true));
  assert.equal(s.again, true);
  s = applySyncPage(s.state, page(1, 12, [13]));
  assert.equal(s.again, false);
  assert.equal(s.state.cursor, 13);
  assert.deepEqual(s.deliver.map((m) => m.seq), [13]);
});

test('an epoch change drops the page, restarts from the start and dedupes by message id', () => {
  let s = applySyncPage(newDevice(), page(1, 0, [1, 2, 3])).state; // ids 1001..1003
  const changed = applySyncPage(s, page(2, 9, [10]));
  assert.deepEqual(changed.deliver, []);
  assert.equal(changed.again, true);
  assert.deepEqual(syncRequest(changed.state), { seq: 0, fromStart: true });
  // The new store numbers the old messages anew: 1001 and 1002 were delivered, 2001 was not.
  const resynced = applySyncPage(changed.state, {
    epoch: 2, startSeq: 0, hasMore: false,
    messages: [{ seq: 1, messageId: 1001 }, { seq: 2, messageId: 1002 }, { seq: 3, messageId: 2001 }],
  });
  assert.deepEqual(resynced.deliver.map((m) => m.messageId), [2001]);
  assert.equal(resynced.state.cursor, 3);
  assert.equal(resynced.state.epoch, 2);
});

test('live pushes: the next seq is delivered, an old one is stale, a jump is a gap', () => {
  const s = applySyncPage(newDevice(), page(1, 0, [1, 2])).state;
  assert.equal(classifyPush(s, 3), 'deliver');
  assert.equal(classifyPush(s, 2), 'stale');
  assert.equal(classifyPush(s, 5), 'gap');
  assert.equal(classifyPush(newDevice(), 1), 'gap'); // no cursor yet: sync first
  assert.equal(delivered(s, { seq: 3, messageId: 1003 }).cursor, 3);
});

test('only the latest message ids are remembered', () => {
  let s = newDevice();
  const seqs = Array.from({ length: RECENT_IDS + 20 }, (_, i) => i + 1);
  s = applySyncPage(s, page(1, 0, seqs)).state;
  assert.equal(s.ids.length, RECENT_IDS);
  assert.equal(s.ids.at(-1), 1000 + seqs.at(-1));
});

test('a stored state survives a round trip; garbage restarts as a new device', () => {
  const s = applySyncPage(newDevice(), page(3, 0, [1])).state;
  assert.deepEqual(restore(JSON.stringify(s)), s);
  assert.deepEqual(restore('not json'), newDevice());
  assert.deepEqual(restore(JSON.stringify({ epoch: 'x', cursor: 1, ids: [] })), newDevice());
  assert.deepEqual(restore(null), newDevice());
});
