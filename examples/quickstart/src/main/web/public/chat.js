// The chat page: signs in with gim-client.js, shows every message once (kept in localStorage so
// that a reload shows the history; messages missed meanwhile come back through the client's sync)
// and the connection's state. Open it as /?user=1&device=1 to sign in at once.
import { GimClient, text } from './gim-client.js';

const HISTORY = 200; // messages kept per (user, device)
const $ = (selector) => document.querySelector(selector);
const stateText = {
  connecting: 'connecting…', 'signed-in': 'signed in', reconnecting: 'reconnecting…',
  'kicked-out': 'kicked out (signed in elsewhere)', closed: 'not connected',
};
const config = await (await fetch('config.json')).json();
let client = null;
let history = null;

function showState(state) {
  $('#state').dataset.state = state;
  $('#state').textContent = stateText[state] ?? state;
}

function showError(error) {
  $('#error').textContent = error ? String(error.message ?? error) : '';
}

async function token(user, device, given) {
  if (given) return given;
  if (!config.devTokens) throw new Error('this server has a real secret: paste a token');
  const res = await fetch(`dev-token?user=${user}&device=${device}`);
  if (!res.ok) throw new Error(`no development token (HTTP ${res.status})`);
  return (await res.json()).token;
}

/** One device's message log: what the page has shown, by message id, oldest first. */
class History {
  constructor(user, device) {
    this.key = `gim:chat:${user}:${device}`;
    this.entries = JSON.parse(localStorage.getItem(this.key) ?? '[]');
    this.ids = new Set(this.entries.map((e) => e.id));
  }

  add(entry) {
    if (entry.id && this.ids.has(entry.id)) return false;
    if (entry.id) this.ids.add(entry.id);
    this.entries = this.entries.concat(entry).slice(-HISTORY);
    localStorage.setItem(this.key, JSON.stringify(this.entries));
    return true;
  }
}

function describe(m, me) {
  const from = m.from ? `user ${m.from.userId}` : 'server';
  const to = m.groupId ? `group ${m.groupId}` : m.roomId ? `room ${m.roomId}` : `user ${m.toUserId}`;
  return {
    id: m.messageId || null,
    mine: m.from?.userId === me,
    meta: `${new Date(m.createdAt * 1000).toLocaleTimeString()} ${from} → ${to}`,
    text: text(m),
  };
}

function render(entry) {
  const li = document.createElement('li');
  if (entry.id) li.dataset.messageId = entry.id;
  li.classList.toggle('mine', entry.mine);
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = entry.meta;
  li.append(meta, document.createTextNode(entry.text));
  $('#messages').append(li);
  li.scrollIntoView({ block: 'end' });
}

function signIn(user, device, given) {
  client?.close();
  history = new History(user, device);
  $('#messages').replaceChildren();
  history.entries.forEach(render);
  $('main').hidden = false;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.hostname}:${config.wsPort}${config.wsPath}`;
  client = new GimClient({ url, userId: user, deviceId: device, token: () => token(user, device, given) });
  client.on('state', (state) => {
    showState(state);
    if (state === 'signed-in') showError(null);
  });
  client.on('error', showError);
  client.on('message', (m) => {
    const entry = describe(m, user);
    if (history.add(entry)) render(entry);
  });
  client.connect().catch(showError);
}

$('#sign-in').addEventListener('submit', (e) => {
  e.preventDefault();
  const f = e.target.elements;
  signIn(Number(f.user.value), Number(f.device.value), f.token.value.trim());
});

$('#compose').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = e.target.elements;
  const id = Number(f.target.value);
  const target = { user: { toUserId: id }, group: { groupId: id }, room: { roomId: id } }[f.kind.value];
  try {
    if (target.roomId && client.room !== id) await joinRoom(id);
    await client.send(target, f.text.value);
    f.text.value = '';
    showError(null);
  } catch (error) {
    showError(error);
  }
});

// Subscribing as soon as "room" is picked, so that the room's messages arrive before one is sent.
$('#compose').addEventListener('change', (e) => {
  const f = e.currentTarget.elements;
  if (f.kind.value === 'room' && client?.state === 'signed-in' && client.room !== Number(f.target.value)) {
    joinRoom(Number(f.target.value)).catch(showError);
  }
});

async function joinRoom(id) {
  await client.subscribeRoom(id);
  $('#compose').dataset.room = id; // shown next to the target, and what the page test waits for
}

const params = new URLSearchParams(location.search);
if (params.has('user') && params.has('device')) {
  const f = $('#sign-in').elements;
  f.user.value = params.get('user');
  f.device.value = params.get('device');
  signIn(Number(params.get('user')), Number(params.get('device')), '');
}
