// The sync cursor of one device, and the rules of PROTOCOL.md that move it. Pure functions over
// a plain state object, so that they can be tested without a socket and stored as JSON:
//
//   { epoch: number | null,   // the store's seq space the cursor belongs to; null: never synced
//     cursor: number | null,  // every inbox seq <= cursor has been delivered; null: new device
//     ids: number[] }         // message ids delivered lately, to dedupe after an epoch change

/** How many recent message ids a device remembers for the dedupe after an epoch change. */
export const RECENT_IDS = 500;

/** The state of a device that has never synced. */
export function newDevice() {
  return { epoch: null, cursor: null, ids: [] };
}

/** A state read back from storage, or a new device's if it is missing or not ours. */
export function restore(json) {
  try {
    const s = JSON.parse(json);
    const num = (v) => v === null || (Number.isSafeInteger(v) && v >= 0);
    if (s && num(s.epoch) && num(s.cursor) && Array.isArray(s.ids)) {
      return { epoch: s.epoch, cursor: s.cursor, ids: s.ids.filter(Number.isSafeInteger) };
    }
  } catch {
    // unreadable: start as a new device
  }
  return newDevice();
}

/**
 * The next SyncRequest. `seq = 0` only while the device has no cursor in this epoch (the server
 * then starts after the largest ack of the user's devices); a known cursor of 0 says so with
 * `from_start`, never with a bare 0.
 */
export function syncRequest(state) {
  if (state.cursor === null) return { seq: 0, fromStart: false };
  return { seq: state.cursor, fromStart: state.cursor === 0 };
}

/**
 * Applies one SyncReply page ({ epoch, startSeq, hasMore, messages: [{ seq, messageId }] }).
 * Returns { state, deliver, again }: the new state, the page's messages not delivered before (in
 * order), and whether to ask for another page at once. A page from another epoch than the
 * cursor's is dropped: the device restarts from seq 0 of the new epoch (from_start) and dedupes
 * by message id.
 */
export function applySyncPage(state, page) {
  if (state.epoch !== null && page.epoch !== state.epoch) {
    return { state: { ...state, epoch: page.epoch, cursor: 0 }, deliver: [], again: true };
  }
  const known = new Set(state.ids);
  const deliver = [];
  let cursor = Math.max(page.startSeq, state.cursor ?? 0);
  for (const m of page.messages) {
    cursor = Math.max(cursor, m.seq);
    if (m.messageId === 0 || !known.has(m.messageId)) {
      deliver.push(m);
      if (m.messageId !== 0) known.add(m.messageId);
    }
  }
  const ids = remember(state.ids, deliver);
  return { state: { epoch: page.epoch, cursor, ids }, deliver, again: page.hasMore };
}

/**
 * What to do with a live push of inbox seq `seq` (> 0) while no sync runs: 'deliver' the next one
 * in order (and advance the cursor with {@link delivered}), drop a 'stale' one the cursor already
 * covers, or sync on a 'gap' (the sync delivers it, in order).
 */
export function classifyPush(state, seq) {
  if (state.cursor === null) return 'gap';
  if (seq <= state.cursor) return 'stale';
  return seq === state.cursor + 1 ? 'deliver' : 'gap';
}

/** The state after delivering the inbox message `m` ({ seq, messageId }) outside a sync. */
export function delivered(state, m) {
  return { ...state, cursor: Math.max(state.cursor ?? 0, m.seq), ids: remember(state.ids, [m]) };
}

function remember(ids, messages) {
  const added = messages.map((m) => m.messageId).filter((id) => id !== 0);
  if (added.length === 0) return ids;
  return ids.concat(added).slice(-RECENT_IDS);
}
