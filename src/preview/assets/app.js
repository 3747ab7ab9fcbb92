// The preview page: follows the server's event stream and keeps the pages on screen
// equal to the last good render. Every page has a sheet of its printed size from the
// start (so the scrollbar and "go to page" are right at any size), but only the pages
// near the window hold their SVG — at most MAX_LOADED — fetched nearest first, swapped
// only where their content changed (so the scroll position stays). Problems show on top
// (collapsible), warnings at the side; each message opens the editor on its cell; zoom
// keeps the whole page reachable; printing prints the PDF's own pages.
'use strict';

const WORDS = {
  vi: {
    jump: 'Phụ lục', docx: 'Tải .docx', pdf: 'Tải PDF', warnings: 'Cảnh báo', print: 'In',
    errors: 'Tệp đang có lỗi — các trang dưới đây là bản đúng gần nhất',
    open: 'Mở trong VS Code', pages: n => `${n} trang`, ok: ms => `Đã cập nhật (${ms} ms)`,
    broken: n => `${n} lỗi`, connecting: 'Đang kết nối…', lost: 'Mất kết nối, đang thử lại…',
    at: (l, c) => `dòng ${l}, cột ${c}`, heading: 'phần tiêu đề', none: 'Không có cảnh báo.',
    loading: (n, m) => `Đang tải ${n}/${m} trang`, fitWidth: 'Vừa chiều rộng', fitPage: 'Vừa trang',
    page: 'Trang', collapse: 'Thu gọn', expand: 'Mở rộng', printing: 'Đang chuẩn bị bản in…',
  },
  en: {
    jump: 'Appendix', docx: 'Download .docx', pdf: 'Download PDF', warnings: 'Warnings', print: 'Print',
    errors: 'The file has errors — the pages below are the last good version',
    open: 'Open in VS Code', pages: n => `${n} page(s)`, ok: ms => `Up to date (${ms} ms)`,
    broken: n => `${n} error(s)`, connecting: 'Connecting…', lost: 'Connection lost, retrying…',
    at: (l, c) => `line ${l}, column ${c}`, heading: 'heading block', none: 'No warnings.',
    loading: (n, m) => `Loading ${n}/${m} pages`, fitWidth: 'Fit width', fitPage: 'Fit page',
    page: 'Page', collapse: 'Collapse', expand: 'Expand', printing: 'Preparing the print…',
  },
};

// Pages whose SVG is in the document at once: the rest are empty sheets of their size.
const MAX_LOADED = 30;

const $ = id => document.getElementById(id);
let words = WORDS.vi;
let manifest = null;   // the last manifest applied
let latest = 0;        // the newest generation received
let shown = [];        // hash of the page in each sheet (undefined: an empty sheet)
let fonts = null;      // the font generation the glyph definitions are from
let defined = new Set(); // glyph ids defined on the page
let queue = Promise.resolve();
let syncing = false;   // a sync is queued or running
let statusLine = '';   // the status once the pages are in

function text(tag, content) {
  const el = document.createElement(tag);
  el.textContent = content;
  return el;
}

// A request that has not answered in 3 s is abandoned and made again (three tries): a
// stalled connection delays a page instead of leaving it blank.
async function fetchText(url) {
  for (let attempt = 1; ; attempt++) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 3000);
    try {
      const r = await fetch(url, { cache: 'no-store', signal: abort.signal });
      if (!r.ok) throw new Error(`${url}: ${r.status}`);
      return await r.text();
    } catch (err) {
      if (attempt >= 3 || err.name !== 'AbortError') throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}

function translate(lang) {
  words = WORDS[lang] || WORDS.vi;
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-t]')) {
    const w = words[el.dataset.t];
    if (typeof w === 'string') el.textContent = w;
  }
  $('errors-toggle').textContent = $('errors').classList.contains('collapsed') ? words.expand : words.collapse;
}

// Glyph outlines are defined once on the page: all of them at first (or when the fonts
// change), then only those a new text needs — replacing them all would make the browser
// redraw every <use> of every page.
async function defineGlyphs(m) {
  if (m.fonts !== fonts) {
    $('defs').innerHTML = await fetchText(`/defs.svg?fonts=${m.fonts}`);
    defined = new Set(m.glyphs);
    fonts = m.fonts;
    return;
  }
  const missing = m.glyphs.filter(id => !defined.has(id));
  const defs = $('defs').querySelector('defs');
  for (let i = 0; i < missing.length; i += 300) {
    const ids = missing.slice(i, i + 300);
    const svg = await fetchText(`/glyphs.svg?ids=${ids.join(',')}`);
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    for (const path of doc.querySelectorAll('path[id]')) {
      defs.appendChild(document.importNode(path, true));
      defined.add(path.id);
    }
  }
}

// One sheet per page, of the page's printed size, empty until the page is near.
function layoutSheets(m) {
  const pages = $('pages');
  while (pages.children.length < m.pages.length) {
    const sheet = document.createElement('div');
    sheet.className = 'sheet';
    pages.appendChild(sheet);
  }
  while (pages.children.length > m.pages.length) pages.lastElementChild.remove();
  shown.length = m.pages.length;
  m.pages.forEach((p, i) => {
    const sheet = pages.children[i];
    sheet.dataset.index = i;
    sheet.dataset.part = p.part;
    sheet.style.setProperty('--w', p.width);
    sheet.style.setProperty('--h', p.height);
  });
}

// The index of the page at the middle of the window (sheets are in order: a binary search).
function currentPage() {
  const sheets = $('pages').children;
  const middle = window.scrollY + window.innerHeight / 2;
  let lo = 0, hi = sheets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const s = sheets[mid];
    if (s.offsetTop + s.offsetHeight < middle) lo = mid + 1; else hi = mid;
  }
  return Math.max(0, lo);
}

// The pages to hold: MAX_LOADED around the current one, nearest first.
function wantedPages(count) {
  const here = Math.min(currentPage(), Math.max(0, count - 1));
  let from = Math.max(0, here - Math.floor(MAX_LOADED / 3));
  const to = Math.min(count, from + MAX_LOADED);
  from = Math.max(0, to - MAX_LOADED);
  const wanted = [];
  for (let i = from; i < to; i++) wanted.push(i);
  return wanted.sort((a, b) => Math.abs(a - here) - Math.abs(b - here));
}

// Brings the sheets near the window up to `m`: empties those far away, fetches those
// missing or changed (four at once: the event stream holds one of the browser's six
// connections), each put in as it arrives.
async function sync(m) {
  const wanted = wantedPages(m.pages.length);
  const keep = new Set(wanted);
  const sheets = $('pages').children;
  for (let i = 0; i < sheets.length; i++) {
    if (!keep.has(i) && shown[i] !== undefined) {
      sheets[i].replaceChildren();
      shown[i] = undefined;
    }
  }
  const todo = wanted.filter(i => shown[i] !== m.pages[i].hash);
  if (!todo.length) return;
  let done = 0;
  const progress = () => {
    $('status').dataset.state = 'loading';
    $('status').textContent = words.loading(done, todo.length);
  };
  progress();
  const workers = Array.from({ length: Math.min(4, todo.length) }, async () => {
    for (let i; (i = todo.shift()) !== undefined;) {
      const p = m.pages[i];
      const html = await fetchText(`/page/${i}?v=${p.hash}`);
      if (m.generation < latest && m !== manifest) return; // a newer one is queued behind
      const sheet = sheets[i];
      if (sheet) { sheet.innerHTML = html; shown[i] = p.hash; }
      done++;
      progress();
    }
  });
  await Promise.all(workers);
  showStatus();
}

function showStatus() {
  const status = $('status');
  status.dataset.state = manifest && !manifest.ok ? 'error' : 'ok';
  status.textContent = statusLine;
}

// A message as a button: clicking it shows its row and opens the editor on its cell.
function messageItem(d) {
  const b = text('button', d.text);
  b.type = 'button';
  b.className = `message ${d.severity}`;
  if (d.line != null) {
    b.dataset.line = d.line;
    b.dataset.column = d.column;
    if (d.field) b.dataset.field = d.field;
    b.addEventListener('click', () => reveal(d));
  } else {
    b.disabled = true;
  }
  return b;
}

async function apply(m) {
  if (m.generation < latest) return; // a newer one is queued behind
  if (!manifest || manifest.lang !== m.lang) translate(m.lang);
  manifest = m;
  const broken = !m.ok;
  statusLine = broken ? words.broken(m.errors.length) : words.ok(m.render_ms);
  if (m.pages.length) {
    await defineGlyphs(m);
    layoutSheets(m);
    await sync(m);
    if (m.generation < latest) return;
  }
  $('file').textContent = m.file.split(/[\\/]/).pop();
  $('file').title = m.file;
  document.title = `${m.file} — phuluc`;
  $('count').textContent = words.pages(m.pages.length);
  $('goto').max = String(Math.max(1, m.pages.length));
  const jump = $('jump');
  const names = m.parts.map(p => p.name).join('\n');
  if (jump.dataset.names !== names) {
    jump.replaceChildren(...m.parts.map(p => {
      const o = text('option', p.name);
      o.value = p.first ?? '';
      return o;
    }));
    jump.dataset.names = names;
  }
  document.body.classList.toggle('broken', broken);
  $('errors').hidden = !broken;
  $('error-list').replaceChildren(...m.errors.map(messageItem));
  $('warning-count').textContent = m.warnings.length;
  $('warning-list').replaceChildren(...(m.warnings.length
    ? m.warnings.map(messageItem) : [text('p', words.none)]));
  showStatus();
  document.body.dataset.generation = m.generation;
  // When the update arrived, when the new pages were in the document, and when the
  // frame showing them was drawn (two animation frames later): for the benchmark.
  const timing = { generation: m.generation, received: m.received, at: Date.now(), painted: null };
  window.phulucApplied = timing;
  requestAnimationFrame(() => requestAnimationFrame(() => { timing.painted = Date.now(); }));
}

// After a scroll, a zoom or a jump: the pages now near the window (one sync at a time).
function resync() {
  if (syncing || !manifest) return;
  syncing = true;
  queue = queue.then(() => { syncing = false; return sync(manifest); }).catch(err => {
    syncing = false;
    $('status').dataset.state = 'error';
    $('status').textContent = String(err);
  });
  return queue;
}

function connect() {
  const events = new EventSource('/events');
  events.addEventListener('update', e => {
    const m = JSON.parse(e.data);
    m.received = Date.now();
    latest = Math.max(latest, m.generation);
    queue = queue.then(() => apply(m)).catch(err => {
      $('status').dataset.state = 'error';
      $('status').textContent = String(err);
    });
  });
  events.onerror = () => {
    $('status').dataset.state = 'connecting';
    $('status').textContent = words.lost;
  };
}

// Scrolls page `index` (0-based) to the top of the window and loads it.
async function goToPage(index) {
  const sheet = $('pages').children[index];
  if (!sheet) return;
  window.scrollTo(window.scrollX, sheet.offsetTop - 56);
  await resync();
}

// The zoom that fits the widest page across the window, or a whole page in it.
function fitZoom(kind) {
  if (!manifest || !manifest.pages.length) return 1;
  const w = Math.max(...manifest.pages.map(p => p.width)) * 4 / 3;
  const h = Math.max(...manifest.pages.map(p => p.height)) * 4 / 3;
  const side = $('warnings').hidden ? 0 : $('warnings').offsetWidth;
  const across = (document.documentElement.clientWidth - side - 40) / w;
  const down = (window.innerHeight - 44 - 40) / h;
  return kind === 'fit-page' ? Math.min(across, down) : across;
}

function setZoom(z, label) {
  const select = $('zoom');
  z = Math.min(4, Math.max(0.1, z));
  const custom = $('zoom-custom');
  const fixed = [...select.options].find(o => !o.dataset.fit && o !== custom && Math.abs(Number(o.value) - z) < 0.001);
  if (label) select.value = label;
  else if (fixed) select.value = fixed.value;
  else { custom.hidden = false; custom.textContent = `${Math.round(z * 100)}%`; custom.value = String(z); select.value = custom.value; }
  // Keep the same spot of the same page under the top of the window, and the same
  // share of the width under its middle.
  const index = currentPage();
  const sheet = $('pages').children[index];
  const into = sheet ? (window.scrollY - sheet.offsetTop) / Math.max(1, sheet.offsetHeight) : 0;
  const across = (window.scrollX + window.innerWidth / 2) / Math.max(1, document.documentElement.scrollWidth);
  document.documentElement.style.setProperty('--zoom', z);
  document.documentElement.dataset.zoom = String(z);
  if (sheet) {
    window.scrollTo(across * document.documentElement.scrollWidth - window.innerWidth / 2,
      sheet.offsetTop + into * sheet.offsetHeight);
  }
  resync();
}

function zoomValue() {
  return Number(document.documentElement.dataset.zoom || 1);
}

function step(direction) {
  const levels = [...$('zoom').options].filter(o => !o.dataset.fit && o.id !== 'zoom-custom').map(o => Number(o.value));
  const z = zoomValue();
  const next = direction > 0 ? levels.find(v => v > z + 0.001) : [...levels].reverse().find(v => v < z - 0.001);
  if (next) setZoom(next);
}

// Prints the PDF's own pages (not this page's toolbar and sheets): the PDF, shown in a
// frame of the page's own, prints through the browser's PDF viewer; where a frame cannot
// print (no viewer), the PDF opens in a tab of its own, to print from there.
function printPdf() {
  $('print-frame')?.remove();
  const frame = document.createElement('iframe');
  frame.id = 'print-frame';
  frame.title = words.print;
  frame.src = `/print.pdf?g=${manifest ? manifest.generation : 0}`;
  frame.addEventListener('load', () => {
    try {
      frame.contentWindow.focus();
      frame.contentWindow.print();
    } catch (_) {
      window.open(frame.src, '_blank', 'noopener');
    }
    showStatus();
  });
  $('status').textContent = words.printing;
  // A frame whose PDF viewer never reports its load (none installed) does not leave the
  // status saying so for ever.
  setTimeout(showStatus, 4000);
  document.body.appendChild(frame);
}

// Compares two "LINE:COL" places.
function place(src) {
  const [l, c] = String(src || '').split(':').map(Number);
  return [l || 0, c || 0];
}
function before(a, b) {
  return a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);
}

// Shows the row a message is about and opens the editor on its cell: the page from the
// lines each page's rows start at, then the row starting last at or before the message's
// place, then the cell of the field the message is in (else the row's first).
async function reveal(d) {
  if (!manifest) return;
  const at = [d.line, d.column || 1];
  let index = 0;
  manifest.pages.forEach((p, i) => { if (p.lines && p.lines[0] <= d.line) index = i; });
  await goToPage(index);
  await queue;
  const sheets = $('pages').children;
  let best = null, bestAt = null;
  for (const i of [index - 1, index, index + 1]) {
    const sheet = sheets[i];
    if (!sheet) continue;
    for (const box of sheet.querySelectorAll('rect.cell[data-src]')) {
      const p = place(box.dataset.src);
      if (before(p, at) && (!bestAt || before(bestAt, p))) { best = box; bestAt = p; }
    }
  }
  if (!best) return;
  const src = best.dataset.src;
  const row = [...document.querySelectorAll(`rect.cell[data-src="${src}"]`)];
  const box = row.find(b => b.dataset.field === d.field) || row[0];
  box.scrollIntoView({ block: 'center', inline: 'nearest' });
  if (typeof editor !== 'undefined') editor.start(box);
}

function pick(event) {
  const group = event.target.closest('g.row, g.heading');
  if (!group || !manifest) return;
  for (const old of document.querySelectorAll('g.picked')) old.classList.remove('picked');
  group.classList.add('picked');
  const sheet = group.closest('.sheet');
  const part = manifest.parts[Number(sheet?.dataset.part)]?.name ?? '';
  const label = group.classList.contains('row') ? group.dataset.label : words.heading;
  const [line, column] = (group.dataset.src || '').split(':');
  let message = [part, label].filter(Boolean).join(', ');
  const link = $('info-link');
  if (line) {
    message += ` — ${words.at(line, column)}`;
    link.href = `${manifest.editor}:${line}:${column}`;
    link.hidden = false;
  } else {
    link.hidden = true;
  }
  $('info-text').textContent = message;
  $('info').hidden = false;
}

document.addEventListener('DOMContentLoaded', () => {
  $('status').textContent = words.connecting;
  $('zoom').addEventListener('change', e => {
    const o = e.target.selectedOptions[0];
    if (o?.dataset.fit) setZoom(fitZoom(o.dataset.fit), o.value);
    else setZoom(Number(e.target.value));
  });
  $('zoom-in').addEventListener('click', () => step(1));
  $('zoom-out').addEventListener('click', () => step(-1));
  $('jump').addEventListener('change', e => goToPage(Number(e.target.value)));
  $('goto').addEventListener('change', e => goToPage(Number(e.target.value) - 1));
  $('print').addEventListener('click', printPdf);
  $('show-warnings').addEventListener('click', () => { $('warnings').hidden = !$('warnings').hidden; });
  $('errors-toggle').addEventListener('click', () => {
    const collapsed = $('errors').classList.toggle('collapsed');
    $('errors-toggle').textContent = collapsed ? words.expand : words.collapse;
    $('errors-toggle').setAttribute('aria-expanded', String(!collapsed));
  });
  $('info-close').addEventListener('click', () => { $('info').hidden = true; });
  $('pages').addEventListener('click', pick);
  document.addEventListener('keydown', e => {
    // Ctrl+P prints the PDF's pages, never this page.
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'p') {
      e.preventDefault();
      printPdf();
    }
  });
  // The pages near the window come in; the appendix list and the page box follow the
  // page in the middle of the window.
  let pending = false;
  window.addEventListener('scroll', () => {
    if (!manifest || pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      const index = currentPage();
      const part = manifest.parts[Number($('pages').children[index]?.dataset.part)];
      if (part && part.first != null) $('jump').value = String(part.first);
      if (document.activeElement !== $('goto')) $('goto').value = String(index + 1);
      resync();
    });
  }, { passive: true });
  window.addEventListener('resize', () => {
    const o = $('zoom').selectedOptions[0];
    if (o?.dataset.fit) setZoom(fitZoom(o.dataset.fit), o.value);
  });
  connect();
});
