// The clerk's editor on the printed page: double-click (or Enter on a focused cell)
// opens a textarea over the cell, prefilled with the value as the clerk types it; Enter
// saves, Shift+Enter is a new line, Esc cancels, Tab saves and opens the next cell. A
// refused edit keeps the typed text in the editor with the message under it; a stale
// version (409) reloads the version and keeps the text to retry. Ctrl+Z / Ctrl+Shift+Z
// undo and redo; a row's context menu inserts, deletes and moves rows. A click puts the
// focus on a cell (outlined): Enter or F2 opens it; Alt+Insert inserts a row below it,
// Alt+Shift+Insert above, Alt+Delete deletes its row, Alt+↑ / Alt+↓ move the row. In a
// list cell (agencies, one a line) the plan's names are suggested as the line is typed:
// ↓/↑ choose, Enter or a click takes one.
'use strict';

const editor = (() => {
  const token = document.querySelector('meta[name="phuluc-token"]')?.content || '';
  let version = null;
  let open = null; // { box, area, note, src, field, list }
  let focused = null; // the cell the keyboard acts on
  let agencies = null; // the plan's names, fetched once per page load
  let suggest = null; // { el, items, index }

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
    hideSuggestions();
    open = null;
  }

  function focus(box) {
    document.querySelector('rect.cell.focused')?.classList.remove('focused');
    focused = box;
    if (box) box.classList.add('focused');
  }

  // The focused cell again after a re-render (its element was replaced).
  function current() {
    if (focused && focused.isConnected) return focused;
    if (!focused) return null;
    const again = document.querySelector(`rect.cell[data-src="${focused.dataset.src}"][data-field="${focused.dataset.field}"]`);
    if (again) focus(again);
    return again;
  }

  async function names() {
    if (agencies) return agencies;
    try {
      const r = await fetch('/api/agencies', { cache: 'no-store' });
      agencies = r.ok ? (await r.json()).agencies || [] : [];
    } catch (_) { agencies = []; }
    return agencies;
  }

  function fold(t) {
    return t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
  }

  // The line the caret is on, its start and end in the textarea.
  function caretLine(area) {
    const v = area.value, at = area.selectionStart;
    const start = v.lastIndexOf('\n', at - 1) + 1;
    const end = v.indexOf('\n', at) < 0 ? v.length : v.indexOf('\n', at);
    return { start, end, text: v.slice(start, end) };
  }

  function hideSuggestions() {
    suggest?.el.remove();
    suggest = null;
  }

  async function showSuggestions() {
    if (!open || !open.list) return;
    const all = await names();
    const { text: line } = caretLine(open.area);
    const typed = fold(line.trim());
    const items = typed
      ? all.filter(n => fold(n).includes(typed) && n !== line.trim()).slice(0, 8)
      : [];
    hideSuggestions();
    if (!items.length) return;
    const el = document.createElement('div');
    el.className = 'phuluc-suggest';
    el.setAttribute('role', 'listbox');
    const r = open.area.getBoundingClientRect();
    Object.assign(el.style, { left: `${r.left + window.scrollX}px`, top: `${r.bottom + window.scrollY + 2}px` });
    items.forEach((n, i) => {
      const o = document.createElement('div');
      o.className = 'phuluc-suggestion';
      o.setAttribute('role', 'option');
      o.textContent = n;
      o.addEventListener('mousedown', e => { e.preventDefault(); take(i); });
      el.append(o);
    });
    document.body.append(el);
    suggest = { el, items, index: 0 };
    mark();
  }

  function mark() {
    [...suggest.el.children].forEach((o, i) => o.setAttribute('aria-selected', String(i === suggest.index)));
  }

  // The suggestion `i` replaces the line being typed.
  function take(i) {
    if (!suggest || !open) return;
    const area = open.area, { start, end } = caretLine(area);
    const name = suggest.items[i];
    area.value = area.value.slice(0, start) + name + area.value.slice(end);
    area.selectionStart = area.selectionEnd = start + name.length;
    hideSuggestions();
    area.focus();
  }

  async function start(box) {
    close();
    focus(box);
    const src = box.dataset.src, field = box.dataset.field;
    const r = await fetch(`/api/value?src=${encodeURIComponent(src)}&field=${encodeURIComponent(field)}`, { cache: 'no-store' });
    const data = r.ok ? await r.json() : {};
    if (data.version) version = data.version;
    // A value that cannot be read (the file does not parse now) is never shown as empty:
    // saving that would clear the cell.
    if (!r.ok) { flash(message(data) || `HTTP ${r.status}`); return; }
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
    open = { box, area, note, src, field, list: data.kind === 'list' };
    area.dataset.kind = data.kind || 'text';
    area.addEventListener('keydown', key);
    area.addEventListener('input', showSuggestions);
    area.addEventListener('blur', () => setTimeout(hideSuggestions, 150));
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
    if (suggest) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const n = suggest.items.length;
        suggest.index = (suggest.index + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
        mark();
        return;
      }
      if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); take(suggest.index); return; }
      if (e.key === 'Escape') { e.preventDefault(); hideSuggestions(); return; }
    }
    if (e.key === 'Escape') { e.preventDefault(); const box = open.box; close(); focus(box); }
    else if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); await save(); }
    else if (e.key === 'Tab') {
      e.preventDefault();
      const box = open.box;
      if (await save()) { const n = next(box); if (n) start(n); }
    }
  }

  async function row(op, src) {
    // The version now: a row action has no value to keep, and the page may have been
    // re-rendered from a save made elsewhere.
    version = (await (await fetch('/api/version', { cache: 'no-store' })).json()).version;
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

  // The selectable text lies over the boxes: the box under the pointer.
  const boxAt = e => document.elementsFromPoint(e.clientX, e.clientY).find(el => el.matches('rect.cell'));
  document.addEventListener('dblclick', e => {
    const box = boxAt(e);
    if (box) { e.preventDefault(); start(box); }
  });
  document.addEventListener('click', e => {
    if (open || !e.target.closest?.('#pages')) return;
    focus(boxAt(e) || null);
  });
  document.addEventListener('contextmenu', menu);
  document.addEventListener('keydown', async e => {
    if (open) return;
    const typing = e.target.closest?.('input, select, textarea');
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z' && !typing) {
      e.preventDefault();
      const r = await post(e.shiftKey ? '/api/redo' : '/api/undo', {});
      if (r.status !== 200) flash(message(r.data));
      return;
    }
    const box = current();
    if (!box || typing) return;
    if ((e.key === 'Enter' || e.key === 'F2') && !e.altKey && !e.ctrlKey) {
      e.preventDefault();
      start(box);
      return;
    }
    if (!e.altKey) return;
    const ops = { Insert: e.shiftKey ? 'insert_before' : 'insert_after', Delete: 'delete', ArrowUp: 'move_up', ArrowDown: 'move_down' };
    const op = ops[e.key];
    // Row actions are for a table row's cells (a heading field has no row to move).
    if (!op || !box.closest('g.row')) return;
    e.preventDefault();
    row(op, box.dataset.src);
  });
  return { start, save, close, row, focus, get version() { return version; } };
})();
