// The preview page: follows the server's event stream and keeps the pages on screen
// equal to the last good render, swapping only pages whose content changed (so the
// scroll position stays), showing problems on top and warnings at the side, and naming
// the source line of a clicked row.
'use strict';

const WORDS = {
  vi: {
    jump: 'Phụ lục', docx: 'Tải .docx', pdf: 'Tải PDF', warnings: 'Cảnh báo',
    errors: 'Tệp đang có lỗi — các trang dưới đây là bản đúng gần nhất',
    open: 'Mở trong VS Code', pages: n => `${n} trang`, ok: ms => `Đã cập nhật (${ms} ms)`,
    broken: n => `${n} lỗi`, connecting: 'Đang kết nối…', lost: 'Mất kết nối, đang thử lại…',
    at: (l, c) => `dòng ${l}, cột ${c}`, heading: 'phần tiêu đề', none: 'Không có cảnh báo.',
  },
  en: {
    jump: 'Appendix', docx: 'Download .docx', pdf: 'Download PDF', warnings: 'Warnings',
    errors: 'The file has errors — the pages below are the last good version',
    open: 'Open in VS Code', pages: n => `${n} page(s)`, ok: ms => `Up to date (${ms} ms)`,
    broken: n => `${n} error(s)`, connecting: 'Connecting…', lost: 'Connection lost, retrying…',
    at: (l, c) => `line ${l}, column ${c}`, heading: 'heading block', none: 'No warnings.',
  },
};

const $ = id => document.getElementById(id);
let words = WORDS.vi;
let manifest = null;   // the last manifest applied
let latest = 0;        // the newest generation received
let shown = [];        // hash of the page in each sheet
let fonts = null;      // the font generation the glyph definitions are from
let defined = new Set(); // glyph ids defined on the page
let queue = Promise.resolve();

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

async function apply(m) {
  if (m.generation < latest) return; // a newer one is queued behind
  if (!manifest || manifest.lang !== m.lang) translate(m.lang);
  if (m.pages.length) {
    await defineGlyphs(m);
    // At most four requests at once: the event stream holds one of the browser's six
    // connections to the server, and the first load asks for every page.
    const wanted = m.pages.map((p, i) => [i, p]).filter(([i, p]) => shown[i] !== p.hash);
    const fetched = [];
    const workers = Array.from({ length: Math.min(4, wanted.length) }, async () => {
      for (let next; (next = wanted.shift());) {
        const [i, p] = next;
        fetched.push([i, p, await fetchText(`/page/${i}?v=${p.hash}`)]);
      }
    });
    await Promise.all(workers);
    fetched.sort((a, b) => a[0] - b[0]); // sheets are created in page order
    if (m.generation < latest) return;
    const pages = $('pages');
    for (const item of fetched) {
      if (!item) continue;
      const [i, p, html] = item;
      let sheet = pages.children[i];
      if (!sheet) {
        sheet = document.createElement('div');
        sheet.className = 'sheet';
        pages.appendChild(sheet);
      }
      sheet.dataset.index = i;
      sheet.dataset.part = p.part;
      sheet.style.setProperty('--w', p.width);
      sheet.style.setProperty('--h', p.height);
      sheet.innerHTML = html;
      shown[i] = p.hash;
    }
    while (pages.children.length > m.pages.length) pages.lastElementChild.remove();
    shown.length = m.pages.length;
  }
  $('file').textContent = m.file.split(/[\\/]/).pop();
  $('file').title = m.file;
  document.title = `${m.file} — phuluc`;
  $('count').textContent = words.pages(m.pages.length);
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
  const broken = !m.ok;
  document.body.classList.toggle('broken', broken);
  $('errors').hidden = !broken;
  $('error-list').replaceChildren(...m.errors.map(d => text('pre', d.text)));
  $('warning-count').textContent = m.warnings.length;
  $('warning-list').replaceChildren(...(m.warnings.length
    ? m.warnings.map(d => text('pre', d.text)) : [text('p', words.none)]));
  const status = $('status');
  status.dataset.state = broken ? 'error' : 'ok';
  status.textContent = broken ? words.broken(m.errors.length) : words.ok(m.render_ms);
  manifest = m;
  document.body.dataset.generation = m.generation;
  // When the update arrived, when the new pages were in the document, and when the
  // frame showing them was drawn (two animation frames later): for the benchmark.
  const timing = { generation: m.generation, received: m.received, at: Date.now(), painted: null };
  window.phulucApplied = timing;
  requestAnimationFrame(() => requestAnimationFrame(() => { timing.painted = Date.now(); }));
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

function setZoom(z) {
  const select = $('zoom');
  const values = [...select.options].map(o => Number(o.value));
  const value = values.reduce((a, b) => Math.abs(b - z) < Math.abs(a - z) ? b : a);
  select.value = String(value);
  // Keep the same spot of the pages under the top of the window.
  const ratio = (window.scrollY || 0) / Math.max(1, document.body.scrollHeight);
  document.documentElement.style.setProperty('--zoom', value);
  window.scrollTo(0, ratio * document.body.scrollHeight);
}

function step(direction) {
  const select = $('zoom');
  const i = select.selectedIndex + direction;
  if (i >= 0 && i < select.options.length) setZoom(Number(select.options[i].value));
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
  $('zoom').addEventListener('change', e => setZoom(Number(e.target.value)));
  $('zoom-in').addEventListener('click', () => step(1));
  $('zoom-out').addEventListener('click', () => step(-1));
  $('jump').addEventListener('change', e => {
    const sheet = $('pages').children[Number(e.target.value)];
    if (sheet) window.scrollTo(0, sheet.offsetTop - 56);
  });
  $('show-warnings').addEventListener('click', () => { $('warnings').hidden = !$('warnings').hidden; });
  $('info-close').addEventListener('click', () => { $('info').hidden = true; });
  $('pages').addEventListener('click', pick);
  // The appendix list follows the page at the top of the window.
  window.addEventListener('scroll', () => {
    if (!manifest) return;
    const top = window.scrollY + 60;
    const sheet = [...$('pages').children].find(s => s.offsetTop + s.offsetHeight > top);
    const part = manifest.parts[Number(sheet?.dataset.part)];
    if (part && part.first != null) $('jump').value = String(part.first);
  }, { passive: true });
  connect();
});
