// End to end in headless Chromium: two users chat on the quickstart's page (1:1, group, room),
// one reloads and gets its history back without duplicates, messages sent while its page was
// closed come back through sync, and a second sign-in of a device shows "kicked out".
//
//   GIM_WEB_URL=http://127.0.0.1:8003/ [GIM_CHROMIUM=/usr/bin/chromium] node e2e/chat.spec.mjs
//
// Prints one line per step and "BROWSER CHAT OK" at the end; exits 1 on the first failure.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const base = process.env.GIM_WEB_URL;
const executablePath = process.env.GIM_CHROMIUM || '/usr/bin/chromium';
const WAIT = 15_000;
if (!base) fail('GIM_WEB_URL is not set (the quickstart server\'s browser chat, e.g. http://127.0.0.1:8003/)');
if (!existsSync(executablePath)) {
  fail(`no Chromium at ${executablePath}: install it (apt-get install -y chromium, or bash .ci/install-chromium)`);
}

function fail(message) {
  console.error(`BROWSER CHAT FAILED: ${message}`);
  process.exit(1);
}

const t0 = Date.now();
function step(name) {
  console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${name}`);
}

const browser = await chromium.launch({
  executablePath,
  // Without the background-networking switches Chromium dials out at start, which a closed
  // network refuses; no sandbox because CI runs as root.
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});

async function open(context, user, device, name) {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`[${name}] page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && console.log(`[${name}] console: ${m.text()}`));
  await page.goto(`${base}?user=${user}&device=${device}`);
  await signedIn(page);
  return page;
}

async function signedIn(page) {
  await page.waitForSelector('#state[data-state="signed-in"]', { timeout: WAIT });
  const shown = await page.textContent('#state');
  if (shown !== 'signed in') throw new Error(`state shows "${shown}"`);
}

async function send(page, kind, target, text) {
  await page.fill('input[name=target]', String(target));
  await page.selectOption('select[name=kind]', kind); // a room is joined on this change
  if (kind === 'room') await page.waitForSelector(`#compose[data-room="${target}"]`, { timeout: WAIT });
  await page.fill('input[name=text]', text);
  await page.click('#compose button');
  await seenOnce(page, text);
}

/** Waits until exactly one message on the page holds `text`. */
async function seenOnce(page, text) {
  try {
    await page.waitForFunction(
      (t) => [...document.querySelectorAll('#messages li')].filter((li) => li.textContent.endsWith(t)).length === 1,
      text,
      { timeout: WAIT },
    );
  } catch (e) {
    const shown = await page.$$eval('#messages li', (lis) => lis.map((li) => li.textContent));
    throw new Error(`"${text}" not shown exactly once; the page shows ${JSON.stringify(shown)}`);
  }
}

async function messages(page) {
  return page.$$eval('#messages li', (lis) => lis.map((li) => li.textContent.replace(/^.*? → \S+ \d+/, '')));
}

try {
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  step('users 1 and 2 sign in');
  const a = await open(contextA, 1, 1, 'A');
  let b = await open(contextB, 2, 1, 'B');

  step('1:1 both ways, live');
  await send(a, 'user', 2, 'hello from 1');
  await seenOnce(b, 'hello from 1');
  await send(b, 'user', 1, 'hi back from 2');
  await seenOnce(a, 'hi back from 2');

  step('group 1 (the demo group)');
  await send(a, 'group', 1, 'hello group');
  await seenOnce(b, 'hello group');

  step('room 7');
  await b.fill('input[name=target]', '7');
  await b.selectOption('select[name=kind]', 'room');
  await b.waitForSelector('#compose[data-room="7"]', { timeout: WAIT });
  await send(a, 'room', 7, 'hello room');
  await seenOnce(b, 'hello room');

  step('B reloads: the same history, once each, signed in again');
  const before = await messages(b);
  await b.reload();
  await signedIn(b);
  const after = await messages(b);
  if (JSON.stringify(after) !== JSON.stringify(before)) {
    throw new Error(`history after reload ${JSON.stringify(after)}, before ${JSON.stringify(before)}`);
  }

  step('B closes its page, 1 sends twice, B opens again and syncs them in order');
  await b.close();
  await send(a, 'user', 2, 'while you were away 1');
  await send(a, 'group', 1, 'while you were away 2');
  b = await open(contextB, 2, 1, 'B');
  for (const text of ['hello from 1', 'hi back from 2', 'hello group', 'hello room', 'while you were away 1', 'while you were away 2']) {
    await seenOnce(b, text);
  }
  const synced = await messages(b);
  if (synced.indexOf('while you were away 1') > synced.indexOf('while you were away 2')) {
    throw new Error(`out of order: ${JSON.stringify(synced)}`);
  }

  step('user 1 signs in on device 1 elsewhere: the first page shows "kicked out"');
  const elsewhere = await open(await browser.newContext(), 1, 1, 'A2');
  await a.waitForSelector('#state[data-state="kicked-out"]', { timeout: WAIT });
  await elsewhere.close();

  step('BROWSER CHAT OK');
} catch (e) {
  console.error(`BROWSER CHAT FAILED: ${e.stack ?? e}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
