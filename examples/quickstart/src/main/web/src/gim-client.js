// A GIM wire-protocol client for the browser: one WebSocket, one binary message per Packet
// (docs/protocol.md). Signs in, keeps the connection alive, pairs requests with replies, syncs
// the device's inbox on every (re)connect from a cursor kept in localStorage, and reconnects with
// backoff until it is closed or kicked out.
//
//   const client = new GimClient({ url, userId, deviceId, token: () => fetchToken() });
//   client.on('state', (s) => ...);        // connecting | signed-in | reconnecting | kicked-out | closed
//   client.on('message', (m) => ...);      // every message once, inbox messages in seq order
//   await client.connect();
//   await client.send({ toUserId: 2 }, 'hello');
//
// The protobuf types come from connect.proto, turned into a JSON descriptor at build time
// (build.mjs) and read by protobufjs/light: nothing here parses protobuf by hand.
import protobuf from 'protobufjs/light.js';
import descriptor from 'gim:connect-descriptor';
import * as cursors from './cursor.js';

const root = protobuf.Root.fromJSON(descriptor);
const types = Object.fromEntries(
  [
    'Packet', 'Reply', 'SignInRequest', 'SubscribeRoomRequest', 'Message', 'UserMessagePush',
    'GroupMessagePush', 'RoomMessagePush', 'SyncRequest', 'SyncReply', 'MessageACKRequest',
    'SendRequest', 'SendReply',
  ].map((name) => [name, root.lookupType(`connect.${name}`)]),
);
const PC = root.lookupEnum('connect.PacketCommand').values;
const MC = root.lookupEnum('connect.MessageCommand').values;

// uint64 fields as plain numbers: ids and seqs stay far below 2^53.
const AS_OBJECT = { longs: Number, enums: Number, defaults: true };
const encode = (type, value) => types[type].encode(types[type].fromObject(value)).finish();
const decode = (type, bytes) => types[type].toObject(types[type].decode(bytes), AS_OBJECT);
const utf8 = { encode: (s) => new TextEncoder().encode(s), decode: (b) => new TextDecoder().decode(b) };

/** A refused request: `code` is the wire code (10000 unauthorized, 10201 not in group, ...). */
export class GimError extends Error {
  constructor(code, message) {
    super(`${message || 'request failed'} (code ${code})`);
    this.code = code;
  }
}

export const SIGNED_IN_ELSEWHERE = 10301;

export class GimClient {
  /**
   * @param {object} o
   * @param {string} o.url            ws://host:port/ws
   * @param {number} o.userId
   * @param {number} o.deviceId
   * @param {() => string | Promise<string>} o.token  asked before every sign-in
   */
  constructor({
    url, userId, deviceId, token,
    storage = globalThis.localStorage,
    WebSocketImpl = globalThis.WebSocket,
    heartbeatMs = 30_000, requestTimeoutMs = 10_000, backoffMs = 500, maxBackoffMs = 15_000,
  }) {
    Object.assign(this, { url, userId, deviceId, token, storage, WebSocketImpl });
    Object.assign(this, { heartbeatMs, requestTimeoutMs, backoffMs, maxBackoffMs });
    this.state = 'closed';
    this.listeners = { state: [], message: [], error: [] };
    this.pending = new Map(); // request_id -> { resolve, reject, timer }
    this.nextRequestId = 1;
    this.room = 0;
    this.storageKey = `gim:cursor:${userId}:${deviceId}`;
    this.cursor = cursors.restore(storage?.getItem(this.storageKey));
    this.acked = 0;
    this.syncing = null; // the running sync's promise
    this.syncAgain = false;
    this.attempt = 0;
  }

  on(event, fn) {
    this.listeners[event].push(fn);
    return this;
  }

  /** Connects and signs in; resolves once signed in, reconnecting meanwhile if need be. */
  connect() {
    if (this.state === 'closed' || this.state === 'kicked-out') {
      this.stopped = false;
      this.open('connecting');
    }
    return new Promise((resolve, reject) => {
      const check = (s) => {
        if (s === 'signed-in') resolve();
        else if (s === 'kicked-out' || s === 'closed') reject(new Error(`connection ${s}`));
        else return;
        this.listeners.state = this.listeners.state.filter((f) => f !== check);
      };
      this.listeners.state.push(check);
      check(this.state);
    });
  }

  /** Closes the connection for good (no reconnect). */
  close() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.ws?.close(1000);
    this.setState('closed');
  }

  /**
   * Sends `text` (or bytes) to exactly one of { toUserId, groupId, roomId }; resolves with the
   * SendReply. Retrying with the same `clientMsgId` never stores the message twice.
   */
  async send(target, content, clientMsgId = randomId()) {
    const bytes = typeof content === 'string' ? utf8.encode(content) : content;
    const reply = decode('SendReply', await this.request(PC.PC_SEND, 'SendRequest', {
      toUserId: target.toUserId ?? 0, groupId: target.groupId ?? 0, roomId: target.roomId ?? 0,
      content: bytes, clientMsgId,
    }));
    // The sending device gets no push: it learns of its own message here (or from a sync).
    const own = {
      command: target.roomId ? MC.MC_ROOM_MESSAGE : target.groupId ? MC.MC_GROUP_MESSAGE : MC.MC_USER_MESSAGE,
      seq: reply.seq, createdAt: reply.createdAt, roomId: target.roomId ?? 0, messageId: reply.messageId,
      from: { userId: this.userId, deviceId: this.deviceId },
      toUserId: target.toUserId ?? 0, groupId: target.groupId ?? 0, content: bytes,
    };
    this.receive(own);
    return reply;
  }

  /** Subscribes this connection to `roomId` (0 leaves); kept across reconnects. */
  async subscribeRoom(roomId) {
    await this.request(PC.PC_SUBSCRIBE_ROOM, 'SubscribeRoomRequest', { roomId });
    this.room = roomId;
  }

  // ---- connection ----

  open(state) {
    this.setState(state);
    const ws = new this.WebSocketImpl(this.url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => this.signIn(ws).catch((e) => this.fail(ws, e));
    ws.onmessage = (e) => {
      if (ws !== this.ws) return;
      let packet;
      try {
        packet = decode('Packet', new Uint8Array(e.data));
      } catch (error) {
        return this.fail(ws, error); // not a Packet: the connection is unusable
      }
      this.onPacket(packet);
    };
    ws.onclose = () => this.onClose(ws);
  }

  async signIn(ws) {
    const token = await this.token();
    await this.request(PC.PC_SIGN_IN, 'SignInRequest', {
      userId: this.userId, deviceId: this.deviceId, token,
    });
    if (ws !== this.ws) return;
    this.attempt = 0;
    if (this.room) await this.request(PC.PC_SUBSCRIBE_ROOM, 'SubscribeRoomRequest', { roomId: this.room });
    this.heartbeat = setInterval(() => {
      this.request(PC.PC_HEARTBEAT, null, null).catch((e) => this.fail(ws, e));
    }, this.heartbeatMs);
    this.setState('signed-in');
    await this.sync();
  }

  fail(ws, error) {
    this.emit('error', error);
    if (ws === this.ws) ws.close();
  }

  onClose(ws) {
    if (ws !== this.ws) return;
    clearInterval(this.heartbeat);
    for (const [, p] of this.pending) p.reject(new Error('connection closed'));
    this.pending.clear();
    this.ws = null;
    if (this.stopped || this.state === 'kicked-out') return;
    // Exponential backoff with jitter, so that a restarted server is not stormed.
    const delay = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** this.attempt++);
    this.setState('reconnecting');
    this.retryTimer = setTimeout(() => this.open('reconnecting'), delay / 2 + Math.random() * delay / 2);
  }

  onPacket(packet) {
    if (packet.command === PC.PC_MESSAGE) {
      this.onPush(decode('Message', packet.content));
    } else if (packet.command === PC.PC_KICK_OUT) {
      const reply = decode('Reply', packet.content);
      this.stopped = true;
      this.setState('kicked-out');
      this.emit('error', new GimError(reply.code, reply.message));
    } else {
      const p = this.pending.get(packet.requestId);
      if (!p) return;
      this.pending.delete(packet.requestId);
      clearTimeout(p.timer);
      if (packet.command === PC.PC_HEARTBEAT) return p.resolve(packet.content); // an echo, no Reply
      const reply = decode('Reply', packet.content);
      if (reply.code === 0) p.resolve(reply.data);
      else p.reject(new GimError(reply.code, reply.message));
    }
  }

  /** Writes one request; resolves with its Reply's data, rejects on a code, a timeout or a close. */
  request(command, type, value) {
    const ws = this.ws;
    if (!ws || ws.readyState !== 1) return Promise.reject(new Error('not connected'));
    const requestId = String(this.nextRequestId++);
    const content = type ? encode(type, value) : new Uint8Array(0);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`request ${requestId} timed out`));
      }, this.requestTimeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      ws.send(encode('Packet', { requestId, command, content }));
    });
  }

  // ---- messages, sync and ack ----

  onPush(message) {
    const m = toMessage(message);
    if (this.receive(m) && m.seq !== 0) this.scheduleAck();
  }

  /**
   * Delivers `m` if it is a room message or the next inbox seq; an inbox message out of order
   * (or arriving during a sync) is left to a sync, which delivers it in order. Returns whether
   * `m` was delivered now.
   */
  receive(m) {
    if (m.seq !== 0) {
      const next = this.syncing ? 'gap' : cursors.classifyPush(this.cursor, m.seq);
      if (next !== 'deliver') {
        if (next === 'gap' && this.state === 'signed-in') this.sync();
        return false;
      }
      this.cursor = cursors.delivered(this.cursor, m);
      this.save();
    }
    this.emit('message', m);
    return true;
  }

  /** Syncs until has_more is false, then acks; a sync asked for meanwhile runs once more after. */
  sync() {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      try {
        do {
          this.syncAgain = false;
          let again = true;
          while (again) {
            const req = cursors.syncRequest(this.cursor);
            const data = await this.request(PC.PC_SYNC, 'SyncRequest', { ...req, limit: 100 });
            const page = decode('SyncReply', data);
            const applied = cursors.applySyncPage(this.cursor, {
              epoch: page.epoch, startSeq: page.startSeq, hasMore: page.hasMore,
              messages: page.messages.map(toMessage),
            });
            // Acks of an older epoch say nothing about the new seq space.
            if (applied.state.epoch !== this.cursor.epoch) this.acked = 0;
            this.cursor = applied.state;
            this.save();
            applied.deliver.forEach((m) => this.emit('message', m));
            again = applied.again;
          }
        } while (this.syncAgain);
        await this.ack();
      } catch (e) {
        this.emit('error', e);
      } finally {
        this.syncing = null;
      }
      // Asked for while a failing sync ran: the new connection's turn.
      if (this.syncAgain && this.state === 'signed-in') this.sync();
    })();
    return this.syncing;
  }

  async ack() {
    const upTo = this.cursor.cursor ?? 0;
    if (upTo <= this.acked) return;
    await this.request(PC.PC_ACK, 'MessageACKRequest', { deviceAck: upTo });
    this.acked = upTo;
  }

  scheduleAck() {
    clearTimeout(this.ackTimer);
    this.ackTimer = setTimeout(() => this.ack().catch((e) => this.emit('error', e)), 1000);
  }

  save() {
    this.storage?.setItem(this.storageKey, JSON.stringify(this.cursor));
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }

  emit(event, value) {
    for (const fn of [...this.listeners[event]]) fn(value);
  }
}

/** A Message (push or sync) with its payload decoded: sender, target and content bytes. */
function toMessage(message) {
  const m = {
    command: message.command, seq: message.seq, createdAt: message.createdAt,
    roomId: message.roomId, messageId: message.messageId,
    from: null, toUserId: 0, groupId: 0, content: message.content,
  };
  const payloadType = {
    [MC.MC_USER_MESSAGE]: 'UserMessagePush',
    [MC.MC_GROUP_MESSAGE]: 'GroupMessagePush',
    [MC.MC_ROOM_MESSAGE]: 'RoomMessagePush',
  }[message.command];
  if (payloadType) {
    const p = decode(payloadType, message.content);
    Object.assign(m, {
      from: p.fromUser ? { userId: p.fromUser.userId, deviceId: p.fromUser.deviceId } : null,
      toUserId: p.toUserId ?? 0, groupId: p.groupId ?? 0, content: p.content,
    });
    if (p.roomId) m.roomId = p.roomId;
  }
  return m;
}

/** The UTF-8 text of a message's content. */
export function text(message) {
  return utf8.decode(message.content);
}

function randomId() {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
