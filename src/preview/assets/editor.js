// The clerk's editor on the printed page: double-click (or Enter on a focused cell)
// opens a textarea over the cell, prefilled with the value as the clerk types it; Enter
// saves, Shift+Enter is a new line, Esc cancels, Tab saves and opens the next cell. A
// refused edit keeps the typed text in the editor with the message under it; a stale
// version (409) reloads the version and keeps the text to retry. Ctrl+Z / Ctrl+Shift+Z
// undo and redo; a row's context menu inserts, deletes and moves rows.
'use strict';

const editor = (() => {
  const token = document.querySelector('meta[name="phuluc-token"]')?.content || '';
  let version = null;
  let open = null; // { box, area, note, src, field }

  async function post(path, body) {
    const r = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Phuluc-Token': token },
      body: JSON.stringify(body),
    });
    let data = {};
    try { data = await r.json(); } catch (_) { /* empty */ }
    if (data.version) version = data.version;
    return { status: r.status, data };
  }

  function message(data) {
    if (data.message) return data.message;
    const d = (data.diagnostics || [])[0];
    return d ? (d.message || d.text) : '';
  }

  function close() {
    if (!open) return;
    open.area.remove();
    open.note.remove();
    open = null;
  }

  async function start(box) {
    close();
    const src = box.dataset.src, field = box.dataset.field;
    const r = await fetch(`/api/value?src=${encodeURIComponent(src)}&field=${encodeURIComponent(field)}`, { cache: 'no-store' });
    const data = r.ok ? await r.json() : {};
    if (data.version) version = data.version;
    const rect = box.getBoundingClientRect();
    const area = document.createElement('textarea');
    area.className = 'phuluc-editor';
    area.value = data.value ?? '';
    area.spellcheck = false;
    Object.assign(area.style, {
      left: `${rect.left + window.scrollX}px`, top: `${rect.top + window.scrollY}px`,
      width: `${Math.max(rect.width, 120)}px`, height: `${Math.max(rect.height, 28)}px`,
    });
    const note = document.createElement('div');
    note.className = 'phuluc-editor-note';
    note.hidden = true;
    Object.assign(note.style, {
      left: `${rect.left + window.scrollX}px`, top: `${rect.bottom + window.scrollY + 2}px`,
    });
    document.body.append(area, note);
    open = { box, area, note, src, field };
    area.addEventListener('keydown', key);
    area.focus();
    area.select();
  }

  async function save() {
    if (!open) return false;
    const { area, note, src, field } = open;
    const r = await post('/api/edit', { version, op: 'set', src, field, value: area.value });
    if (r.status === 200) {
      const warn = (r.data.warnings || [])[0];
      close();
      if (warn) flash(warn.message || warn.text);
      return true;
    }
    note.textContent = message(r.data) || `HTTP ${r.status}`;
    note.hidden = false;
    note.dataset.status = String(r.status);
    area.focus();
    return false;
  }

  function flash(text) {
    const el = $('status');
    if (el) el.textContent = text;
  }

  function next(box) {
    const all = [...document.querySelectorAll('rect.cell')];
    return all[all.indexOf(box) + 1];
  }

  async function key(e) {
    if (e.key === 'Escape') { e.preventDefault(); close(); }
    else if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); await save(); }
    else if (e.key === 'Tab') {
      e.preventDefault();
      const box = open.box;
      if (await save()) { const n = next(box); if (n) start(n); }
    }
  }

  async function row(op, src) {
    const v = version || (await (await fetch('/api/version')).json()).version;
    version = v;
    const r = await post('/api/edit', { version, op, src });
    if (r.status !== 200) flash(message(r.data) || `HTTP ${r.status}`);
  }

  function menu(e) {
    const g = e.target.closest('g.row');
    if (!g || !g.dataset.src) return;
    e.preventDefault();
    document.querySelector('.phuluc-menu')?.remove();
    const m = document.createElement('div');
    m.className = 'phuluc-menu';
    Object.assign(m.style, { left: `${e.pageX}px`, top: `${e.pageY}px` });
    for (const [op, label] of [['insert_before', 'Chèn dòng phía trên'], ['insert_after', 'Chèn dòng phía dưới'],
      ['move_up', 'Chuyển lên'], ['move_down', 'Chuyển xuống'], ['delete', 'Xóa dòng']]) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.dataset.op = op;
      b.addEventListener('click', () => { m.remove(); row(op, g.dataset.src); });
      m.append(b);
    }
    document.body.append(m);
    setTimeout(() => document.addEventListener('click', () => m.remove(), { once: true }), 0);
  }

  document.addEventListener('dblclick', e => {
    // The selectable text lies over the boxes: find the box under the pointer.
    const box = document.elementsFromPoint(e.clientX, e.clientY).find(el => el.matches('rect.cell'));
    if (box) { e.preventDefault(); start(box); }
  });
  document.addEventListener('contextmenu', menu);
  document.addEventListener('keydown', async e => {
    if (open || !(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z') return;
    e.preventDefault();
    const r = await post(e.shiftKey ? '/api/redo' : '/api/undo', {});
    if (r.status !== 200) flash(message(r.data));
  });
  return { start, save, close, row, get version() { return version; } };
})();
