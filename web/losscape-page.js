// losscape-page.js — the page around the WebAssembly program (index.html loads it
// before losscape.js). What it does, and nothing more:
//
//   URL → command line   ?scene=ravine&view=2d&lang=zh&opt=adam:lr=0.1 (opt may repeat)
//                        become --scene ravine --view 2d --lang zh --opt adam:lr=0.1;
//                        ?s=… is a whole scene file (base64url), the form the link key
//                        (K) makes, written to /shared.scene and opened with --scene.
//   outputs              Losscape.download(name, blob) for Ctrl+S (scene file) and F12
//                        (PNG made from the pixels the program read back), and
//                        Losscape.recordToggle() for F9: MediaRecorder on the canvas,
//                        a .webm download when it stops.
//   inputs               a file picker (Open…) and drag-and-drop write the file into
//                        the program's memory file system (/upload/NAME) and call
//                        web_open_file(path); what is wrong with it comes back as the
//                        desktop's one-line message, shown in the page.
//   messages             every line the program writes to stderr is shown at the
//                        bottom of the page for a few seconds (and logged as a warning).
//   measurements         Losscape.firstFrameMs (performance.now() at the first drawn
//                        frame), Losscape.frames (frames drawn), Losscape.step and
//                        Losscape.paused (run 0's step, paused), Losscape.lowestStep
//                        (the lowest step drawn since it was last set to Infinity: a
//                        restart shows there), Losscape.downloads ([{name, size}]),
//                        Losscape.lastLink: read by tests/web/.
'use strict';
(function () {
  const canvas = document.getElementById('canvas');
  const msg = document.getElementById('msg');
  let msgTimer = 0;

  function show(text, kind) {
    msg.textContent = text;
    msg.className = kind || '';
    msg.style.display = 'block';
    clearTimeout(msgTimer);
    msgTimer = setTimeout(() => { msg.style.display = 'none'; }, kind === 'info' ? 3000 : 8000);
  }

  // ---- URL → arguments ------------------------------------------------------------
  // Options a link may set: those that describe a scene (cli.c). Anything else in the
  // query is ignored, so a link cannot start a headless run or a benchmark.
  const URL_OPTIONS = ['scene', 'surface', 'start', 'domain', 'opt', 'lr', 'batch', 'schedule', 'seed',
    'data', 'model', 'loss', 'split', 'standardize', 'own-batches', 'plane', 'steps-per-frame', 'view',
    'layout', 'lang', 'caption', 'title', 'steps', 'theme', 'present'];
  const FLAGS = ['standardize', 'own-batches', 'present'];   // options without a value
  const query = new URLSearchParams(location.search);
  const args = [];
  let sharedScene = null;
  if (query.has('s')) {
    try {
      const b64 = query.get('s').replace(/-/g, '+').replace(/_/g, '/');
      sharedScene = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      args.push('--scene', '/shared.scene');
    } catch (e) {
      show('losscape: the link\'s scene (s=…) is not valid base64');
    }
  }
  for (const [k, v] of query) {
    if (!URL_OPTIONS.includes(k)) continue;
    if (FLAGS.includes(k)) { if (v === '' || v === '1' || v === 'true') args.push('--' + k); continue; }
    args.push('--' + k, v);
  }

  // ---- downloads, recording, links ----------------------------------------------------
  const L = window.Losscape = { firstFrameMs: null, frames: 0, downloads: [], lastLink: null, args };
  L.download = function (name, blob) {
    L.downloads.push({ name, size: blob.size });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 30000);
  };
  L.downloadRgba = function (name, w, h, rgba) {   // rgba: top-down, w·h·4 bytes
    const c = document.createElement('canvas');
    c.width = w; c.height = h;
    c.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba), w, h), 0, 0);
    c.toBlob((blob) => { if (blob) L.download(name, blob); else show('losscape: the PNG could not be made'); }, 'image/png');
  };
  let recorder = null;
  L.recording = false;   // the program's messages come to the page meanwhile (L.message)
  L.message = (text) => show(text, 'info');
  L.recordToggle = function (name) {   // → 1 started, 0 stopped (download follows), −1 not possible
    if (recorder) { recorder.stop(); recorder = null; L.recording = false; return 0; }
    if (!window.MediaRecorder || !canvas.captureStream) { show('losscape: this browser cannot record the canvas'); return -1; }
    const type = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].find((t) => MediaRecorder.isTypeSupported(t));
    if (!type) { show('losscape: this browser cannot record WebM'); return -1; }
    const chunks = [];
    const r = new MediaRecorder(canvas.captureStream(30), { mimeType: type });
    r.ondataavailable = (e) => { if (e.data.size) chunks.push(e.data); };
    r.onstop = () => L.download(name, new Blob(chunks, { type: 'video/webm' }));
    r.start(1000);
    recorder = r;
    L.recording = true;
    return 1;
  };
  L.copyLink = function (sceneText) {
    const bytes = new TextEncoder().encode(sceneText);
    let bin = '';
    for (const b of bytes) bin += String.fromCharCode(b);
    const s = btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const keep = new URLSearchParams();
    if (query.has('lang')) keep.set('lang', query.get('lang'));
    keep.set('s', s);
    const link = location.origin + location.pathname + '?' + keep.toString();
    L.lastLink = link;
    const done = () => show('link to this scene copied', 'info');
    const fallback = () => {
      const t = document.createElement('textarea');
      t.value = link; document.body.appendChild(t); t.select();
      const ok = document.execCommand && document.execCommand('copy');
      t.remove();
      if (ok) done(); else show(link, 'info');
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(link).then(done, fallback);
    else fallback();
  };
  L.lowestStep = Infinity;   // the lowest run-0 step drawn since a test set it to Infinity
  L.frame = function (step, paused) {
    L.step = step;
    L.paused = !!paused;
    if (step < L.lowestStep) L.lowestStep = step;
    if (L.frames++ === 0) {
      L.firstFrameMs = performance.now();
      document.getElementById('loading').style.display = 'none';
    }
  };

  // ---- opening files -------------------------------------------------------------
  function openFile(file) {
    if (!L.ready) { show('losscape: still loading'); return; }
    file.arrayBuffer().then((buf) => {
      const FS = Module.FS;
      try { FS.mkdir('/upload'); } catch (e) { /* exists */ }
      const name = file.name.replace(/[^A-Za-z0-9._-]/g, '_') || 'file';
      const path = '/upload/' + name;
      FS.writeFile(path, new Uint8Array(buf));
      Module.ccall('web_open_file', 'number', ['string'], [path]);
      canvas.focus();
    });
  }
  L.openFile = openFile;
  const picker = document.getElementById('file');
  document.getElementById('open').onclick = () => picker.click();
  picker.onchange = () => { if (picker.files[0]) openFile(picker.files[0]); picker.value = ''; };
  const drop = document.getElementById('drop');
  window.addEventListener('dragover', (e) => { e.preventDefault(); drop.style.display = 'block'; });
  window.addEventListener('dragleave', () => { drop.style.display = 'none'; });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.style.display = 'none';
    if (e.dataTransfer.files[0]) openFile(e.dataTransfer.files[0]);
  });
  // the buttons act through the program's own keys (SDL keycodes: 'k', F1)
  const key = (sym) => { if (L.ready) Module.ccall('web_key', 'number', ['number'], [sym]); canvas.focus(); };
  document.getElementById('link').onclick = () => key(107);
  document.getElementById('help').onclick = () => key(0x4000003A);

  // ---- the Emscripten module -------------------------------------------------------
  window.Module = {
    canvas,
    arguments: args,
    print: (t) => console.log(t),
    printErr: (t) => { console.warn(t); show(t); },
    preRun: [() => { if (sharedScene) Module.FS.writeFile('/shared.scene', sharedScene); }],
    onRuntimeInitialized: () => { L.ready = true; canvas.focus(); },
    onAbort: (what) => show('losscape stopped: ' + what),
  };
})();
