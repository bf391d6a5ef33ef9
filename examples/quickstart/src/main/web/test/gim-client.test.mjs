// gim-client.js as built (target/classes/web, by build.mjs) against a scripted server behind a
// fake WebSocket: what it asks for on (re)connect, what it delivers, acks and stores.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import protobuf from 'protobufjs';

const here = dirname(fileURLToPath(import.meta.url));
const built = process.env.GIM_CLIENT_JS ?? join(here, '../../../../target/classes/web/gim-client.js');
const { GimClient } = await import(pathToFileURL(built).href);
const root = protobuf.loadSync(join(here, '../../../../../../gim-protocol/src/main/protobuf/gim/connect.proto'));
const T = (name) => root.lookupType(`connect.${name}`);
const PC = root.lookupEnum('connect.PacketCommand').values;
const enc = (name, value) => T(name).encode(T(name).fromObject(value)).finish();
const dec = (name, bytes) => T(name).toObject(T(name).decode(bytes), { longs: Number, defaults: true });

/** A server that answers sign-ins and acks, and sync requests from `pages` in order. */
class Server {
  constructor(pages) {
    Object.assign(this, { pages, syncs: [], acks: [], sockets: [] });
    const server = this;
    this.WebSocket = class {
      constructor() {
        this.readyState = 0;
        server.sockets.push(this);
        setTimeout(() => { this.readyState = 1; this.onopen(); });
      }
      send(bytes) { server.handle(this, dec('Packet', bytes)); }
      close() { this.drop(); }
      drop() {
        if (this.readyState === 3) return;
        this.readyState = 3;
        setTimeout(() => this.onclose({}));
      }
      push(command, content, requestId = '') {
        setTimeout(() => this.onmessage({ data: enc('Packet', { requestId, command, content }) }));
      }
    };
  }

  handle(ws, packet) {
    const reply = (data = new Uint8Array(0)) =>
      ws.push(packet.command, enc('Reply', { code: 0, data }), packet.requestId);
    if (packet.command === PC.PC_SYNC) {
      this.syncs.push(dec('SyncRequest', packet.content));
      reply(enc('SyncReply', this.pages.shift()));
    } else if (packet.command === PC.PC_ACK) {
      this.acks.push(dec('MessageACKRequest', packet.content).deviceAck);
      reply();
    } else {
      reply();
    }
  }
}

const message = (seq, messageId) => ({
  command: 1, seq, messageId, createdAt: 1,
  content: enc('UserMessagePush', { fromUser: { userId: 9, deviceId: 1 }, toUserId: 1, content: new TextEncoder().encode(`m${messageId}`) }),
});

const until = async (condition) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(condition(), `timed out waiting for ${condition}`);
};

function client(server, storage) {
  const got = [];
  const c = new GimClient({
    url: 'ws://test/ws', userId: 1, deviceId: 1, token: () => 't', storage,
    WebSocketImpl: server.WebSocket, backoffMs: 1, maxBackoffMs: 2,
  });
  c.on('message', (m) => got.push(m.messageId));
  return { c, got };
}

function memoryStorage() {
  const map = new Map();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => map.set(k, v) };
}

test('syncs from seq 0 once, from its cursor after a reconnect, and from the start after an epoch change', async () => {
  const server = new Server([
    { epoch: 1, startSeq: 5, messages: [message(6, 106), message(7, 107)] },
    // after the reconnect: the store lost its seqs (epoch 2) and numbers messages anew
    { epoch: 2, startSeq: 7, messages: [message(8, 999)] },
    { epoch: 2, startSeq: 0, messages: [message(1, 107), message(2, 201)] },
  ]);
  const storage = memoryStorage();
  const { c, got } = client(server, storage);
  await c.connect();
  await until(() => server.acks.length === 1);
  assert.deepEqual(got, [106, 107]);
  assert.deepEqual(server.acks, [7]);

  server.sockets[0].drop();
  await until(() => server.acks.length === 2);
  assert.deepEqual(server.syncs.map((s) => [s.seq, s.fromStart]), [[0, false], [7, false], [0, true]]);
  assert.deepEqual(got, [106, 107, 201]); // 999 was in the dropped page, 107 came before
  assert.deepEqual(server.acks, [7, 2]);
  assert.equal(JSON.parse(storage.getItem('gim:cursor:1:1')).cursor, 2);
  c.close();
});

test('a reloaded page (a new client on the same storage) syncs after its stored cursor', async () => {
  const storage = memoryStorage();
  const first = new Server([{ epoch: 4, startSeq: 0, messages: [message(1, 11)] }]);
  const a = client(first, storage);
  await a.c.connect();
  await until(() => first.acks.length === 1);
  a.c.close();

  const second = new Server([{ epoch: 4, startSeq: 1, messages: [message(2, 12)] }]);
  const b = client(second, storage);
  await b.c.connect();
  await until(() => b.got.length === 1);
  assert.deepEqual(second.syncs.map((s) => s.seq), [1]);
  assert.deepEqual(b.got, [12]);
  b.c.close();
});

test('a kick-out stops the client for good', async () => {
  const server = new Server([{ epoch: 1, startSeq: 0, messages: [] }]);
  const { c } = client(server, memoryStorage());
  await c.connect();
  server.sockets[0].push(PC.PC_KICK_OUT, enc('Reply', { code: 10301, message: 'signed in elsewhere' }));
  await until(() => c.state === 'kicked-out');
  server.sockets[0].drop();
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(server.sockets.length, 1);
  assert.equal(c.state, 'kicked-out');
});
