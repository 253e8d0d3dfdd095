// webtest-lib.js — what the browser tests need, with node's own modules only (no npm):
//
//   serve(dir)            a static HTTP server on 127.0.0.1 (ephemeral port); .wasm as
//                         application/wasm; resolves to { port, close() }
//   launch(opts)          Debian's chromium, headless, driven over the DevTools protocol
//                         through a pipe (--remote-debugging-pipe: no port, no websocket);
//                         network-quiet flags and a fresh --user-data-dir; resolves to a
//                         browser { send(method, params, sessionId), on(event, fn), close() }
//   openPage(browser, url, w, h)
//                         a new tab of w×h CSS pixels on url; resolves to a page
//                         { send(method, params), on(event, fn), console: [lines], errors: [lines] }
//   touch(page, from, to, steps)
//                         one or more fingers down at from, moved to to, lifted (a drag,
//                         a pinch; from === to with steps 0: a tap)
//   saveDownloads(browser, dir)
//                         downloads go to dir; resolves to wait(count, ms) → [{name, file}]
//   decodePng(buf)        8-bit RGB/RGBA, non-interlaced PNG → { w, h, px (RGBA) }
//   diff(a, b, tol)       fraction of pixels whose channels differ by more than tol
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const os = require('os');
const zlib = require('zlib');
const { spawn } = require('child_process');

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
                '.png': 'image/png', '.css': 'text/css', '.scene': 'text/plain', '.csv': 'text/csv' };

function serve(dir) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      const file = path.join(dir, p === '/' ? 'index.html' : p);
      if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
        res.writeHead(404); res.end('not found'); return;
      }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
                           'Cache-Control': 'no-store' });
      fs.createReadStream(file).pipe(res);
    });
    server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port, close: () => server.close() }));
  });
}

function chromiumPath() {
  for (const p of [process.env.LOSSCAPE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'])
    if (p && fs.existsSync(p)) return p;
  return null;
}

function launch() {
  const exe = chromiumPath();
  if (!exe) throw new Error('chromium not found (apt-get install chromium)');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'losscape-chromium-'));
  const args = ['--headless=new', '--no-sandbox', '--disable-gpu', '--use-gl=angle', '--use-angle=swiftshader',
                '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update',
                '--disable-sync', '--no-first-run', '--no-default-browser-check', '--disable-extensions',
                '--mute-audio', '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'];
  // detached: chromium and its helpers (zygote, renderers, crashpad) form their own
  // process group, so close() can end all of them, not only the browser process.
  const child = spawn(exe, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; if (stderr.length > 20000) stderr = stderr.slice(-10000); });
  const out = child.stdio[3], inp = child.stdio[4];
  let id = 0, buf = '';
  const pending = new Map(), listeners = [];
  inp.on('data', (d) => {
    buf += d.toString('utf8');
    let i;
    while ((i = buf.indexOf('\0')) >= 0) {
      const msg = JSON.parse(buf.slice(0, i));
      buf = buf.slice(i + 1);
      if (msg.id && pending.has(msg.id)) {
        const { resolve, reject, method } = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) reject(new Error(`${method}: ${msg.error.message}`));
        else resolve(msg.result);
      } else if (msg.method) {
        for (const l of listeners) l(msg);
      }
    }
  });
  const exited = new Promise((r) => child.on('exit', r));
  return {
    send(method, params = {}, sessionId) {
      const m = { id: ++id, method, params };
      if (sessionId) m.sessionId = sessionId;
      out.write(JSON.stringify(m) + '\0');
      return new Promise((resolve, reject) => pending.set(m.id, { resolve, reject, method }));
    },
    on(fn) { listeners.push(fn); },
    stderr: () => stderr,
    async close() {
      try { await Promise.race([this.send('Browser.close'), new Promise((r) => setTimeout(r, 2000))]); } catch (e) { /* gone */ }
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      // A helper process left behind may still be writing into the profile; end the group.
      try { process.kill(-child.pid, 'SIGKILL'); } catch (e) { /* group already gone */ }
      try {
        fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      } catch (e) {
        // The profile is a temporary directory; failing to remove it is not a test failure.
        console.error(`warning: could not remove ${profile}: ${e.code || e.message}`);
      }
    },
  };
}

async function openPage(browser, url, w, h) {
  const { targetId } = await browser.send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: true });
  const page = {
    console: [], errors: [], events: [],
    send: (m, p) => browser.send(m, p, sessionId),
  };
  browser.on((msg) => {
    if (msg.sessionId !== sessionId) return;
    page.events.push(msg);
    if (msg.method === 'Runtime.consoleAPICalled') {
      const text = msg.params.args.map((a) => (a.value !== undefined ? String(a.value) : a.description || '')).join(' ');
      page.console.push(`${msg.params.type}: ${text}`);
      if (msg.params.type === 'error' || msg.params.type === 'assert') page.errors.push(text);
    } else if (msg.method === 'Runtime.exceptionThrown') {
      const d = msg.params.exceptionDetails;
      page.errors.push(`exception: ${d.exception ? d.exception.description : d.text}`);
    } else if (msg.method === 'Log.entryAdded') {
      const e = msg.params.entry;
      page.console.push(`${e.level}: ${e.text}`);
      if (e.level === 'error') page.errors.push(`${e.source}: ${e.text}`);
    }
  });
  await page.send('Runtime.enable');
  await page.send('Log.enable');
  await page.send('Page.enable');
  await page.send('Emulation.setDeviceMetricsOverride', { width: w, height: h, deviceScaleFactor: 1, mobile: false });
  await page.send('Page.navigate', { url });
  return page;
}

async function evaluate(page, expr) {
  const r = await page.send('Runtime.evaluate', { expression: expr, returnByValue: true, awaitPromise: true });
  if (r.exceptionDetails) throw new Error(`evaluate ${expr}: ${r.exceptionDetails.exception ? r.exceptionDetails.exception.description : r.exceptionDetails.text}`);
  return r.result.value;
}

async function waitFor(page, expr, ms) {
  const t0 = Date.now();
  for (;;) {
    const v = await evaluate(page, expr);
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${expr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function screenshot(page) {
  const r = await page.send('Page.captureScreenshot', { format: 'png' });
  return Buffer.from(r.data, 'base64');
}

// Key press through the DevTools protocol: keydown (with text for printable keys) + keyup.
const KEYCODES = { Space: 32, Escape: 27, Enter: 13, Tab: 9, F1: 112, F9: 120, F12: 123,
                   PageUp: 33, PageDown: 34, ArrowLeft: 37, ArrowUp: 38, ArrowRight: 39, ArrowDown: 40 };
async function press(page, key, modifiers = 0) {
  let code, text, vk;
  if (/^[a-z]$/i.test(key)) { code = 'Key' + key.toUpperCase(); vk = key.toUpperCase().charCodeAt(0); text = key; }
  else if (/^[0-9]$/.test(key)) { code = 'Digit' + key; vk = key.charCodeAt(0); text = key; }
  else { code = key; vk = KEYCODES[key]; text = key === 'Space' ? ' ' : undefined; }
  const k = key === 'Space' ? ' ' : key;
  // SDL follows modifiers from the modifier keys' own events: press Control first
  const ctrl = { key: 'Control', code: 'ControlLeft', windowsVirtualKeyCode: 17, nativeVirtualKeyCode: 17 };
  if (modifiers & 2) await page.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...ctrl, modifiers: 2 });
  const base = { key: k, code, windowsVirtualKeyCode: vk, nativeVirtualKeyCode: vk, modifiers };
  await page.send('Input.dispatchKeyEvent', { type: text && !modifiers ? 'keyDown' : 'rawKeyDown', ...base, text: modifiers ? undefined : text });
  await page.send('Input.dispatchKeyEvent', { type: 'keyUp', ...base });
  if (modifiers & 2) await page.send('Input.dispatchKeyEvent', { type: 'keyUp', ...ctrl, modifiers: 0 });
}

// Touch through the DevTools protocol: fingers (one list of [x, y] per finger) go down at
// `from`, move in `steps` even steps to `to`, and lift. from === to with steps 0 is a tap.
async function touch(page, from, to, steps = 8) {
  const at = (k) => from.map((p, i) => ({ x: p[0] + (to[i][0] - p[0]) * k, y: p[1] + (to[i][1] - p[1]) * k,
                                          id: i, radiusX: 1, radiusY: 1, force: 1 }));
  await page.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
  for (let s = 1; s <= steps; s++) {
    await page.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(s / steps) });
    await new Promise((r) => setTimeout(r, 30));
  }
  await page.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

// Downloads saved into dir: resolves to a function wait(count, ms) → [{ name, file }] of
// the first `count` downloads completed since.
async function saveDownloads(browser, dir) {
  const names = new Map(), done = [];
  browser.on((msg) => {
    if (msg.method === 'Browser.downloadWillBegin') names.set(msg.params.guid, msg.params.suggestedFilename);
    else if (msg.method === 'Browser.downloadProgress' && msg.params.state === 'completed')
      done.push({ name: names.get(msg.params.guid), file: path.join(dir, msg.params.guid) });
  });
  await browser.send('Browser.setDownloadBehavior', { behavior: 'allowAndName', downloadPath: dir, eventsEnabled: true });
  return async (count, ms) => {
    const t0 = Date.now();
    while (done.length < count && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 100));
    return done.slice(0, count);
  };
}

function decodePng(buf) {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8, w = 0, h = 0, depth = 0, ctype = 0, interlace = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos), type = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') { w = data.readUInt32BE(0); h = data.readUInt32BE(4); depth = data[8]; ctype = data[9]; interlace = data[12]; }
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  if (depth !== 8 || (ctype !== 2 && ctype !== 6) || interlace) throw new Error(`PNG kind not handled (depth ${depth}, colour ${ctype}, interlace ${interlace})`);
  const bpp = ctype === 6 ? 4 : 3, stride = w * bpp;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const cur = Buffer.alloc(stride), prev = Buffer.alloc(stride);
  const px = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) {
    const f = raw[y * (stride + 1)], line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
      let v = line[i];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) { const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
                          v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
      cur[i] = v & 255;
    }
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 4;
      px[o] = cur[x * bpp]; px[o + 1] = cur[x * bpp + 1]; px[o + 2] = cur[x * bpp + 2];
      px[o + 3] = bpp === 4 ? cur[x * bpp + 3] : 255;
    }
    cur.copy(prev);
  }
  return { w, h, px };
}

// Fraction of pixels (inside the optional rectangle skip-list) differing by more than tol in any channel.
function diff(a, b, tol, skip = []) {
  if (a.w !== b.w || a.h !== b.h) throw new Error(`sizes differ: ${a.w}x${a.h} vs ${b.w}x${b.h}`);
  let bad = 0, n = 0;
  for (let y = 0; y < a.h; y++)
    for (let x = 0; x < a.w; x++) {
      if (skip.some((r) => x >= r[0] && y >= r[1] && x < r[2] && y < r[3])) continue;
      n++;
      const o = (y * a.w + x) * 4;
      if (Math.abs(a.px[o] - b.px[o]) > tol || Math.abs(a.px[o + 1] - b.px[o + 1]) > tol ||
          Math.abs(a.px[o + 2] - b.px[o + 2]) > tol) bad++;
    }
  return bad / n;
}

module.exports = { serve, launch, openPage, evaluate, waitFor, screenshot, press, touch, saveDownloads, decodePng, diff };
