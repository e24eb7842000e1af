// nianbao serve: the page works without this script (it is rendered on the server);
// this adds sorting, filtering, finding ⇄ cell selection and uploads. No dependencies.
(() => {
  'use strict';
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  const lang = document.body.dataset.lang || 'zh';
  const withLang = (path) => (lang === 'zh' ? path : path + '?lang=' + lang);

  // --- report list: sort and filter --------------------------------------------------
  const table = $('#reports');
  if (table) {
    const tbody = table.tBodies[0];
    for (const th of $$('th[data-sort]', table)) {
      $('button', th).addEventListener('click', () => {
        const dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        for (const other of $$('th[data-sort]', table)) other.setAttribute('aria-sort', 'none');
        th.setAttribute('aria-sort', dir);
        const key = th.dataset.sort;
        const numeric = th.dataset.type === 'number';
        const val = (tr) => {
          const td = $(`td[data-key="${key}"]`, tr);
          const s = td ? td.textContent.trim() : '';
          return numeric ? (s === '' ? -Infinity : Number(s)) : s;
        };
        const rows = Array.from(tbody.rows).sort((a, b) => {
          const x = val(a), y = val(b);
          const c = numeric ? x - y : String(x).localeCompare(String(y), 'zh-CN');
          return dir === 'ascending' ? c : -c;
        });
        for (const r of rows) tbody.appendChild(r);
      });
    }
    const filter = $('#filter');
    if (filter) {
      filter.addEventListener('input', () => {
        const q = filter.value.trim().toLowerCase();
        for (const tr of tbody.rows) tr.hidden = q !== '' && !tr.textContent.toLowerCase().includes(q);
      });
    }
  }

  // --- findings ⇄ cells --------------------------------------------------------------
  const cells = $$('td.v[data-path]');
  const findings = $$('button.finding');
  const names = (path, p) => path === p || path.startsWith(p + '.');
  const pathsOf = (btn) => {
    try { return JSON.parse(btn.dataset.paths || '[]'); } catch { return []; }
  };

  function clearSelection() {
    for (const b of findings) b.setAttribute('aria-pressed', 'false');
    for (const c of cells) c.classList.remove('selected');
    for (const m of $$('mark.selected')) m.classList.remove('selected');
  }

  function selectFinding(btn, { scroll = true } = {}) {
    const on = btn.getAttribute('aria-pressed') !== 'true';
    clearSelection();
    if (!on) return;
    btn.setAttribute('aria-pressed', 'true');
    const paths = pathsOf(btn);
    const hit = cells.filter((c) => paths.some((p) => names(c.dataset.path, p)));
    for (const c of hit) c.classList.add('selected');
    for (const m of $$(`mark[data-finding="${btn.id}"]`)) m.classList.add('selected');
    const first = hit[0] || $(`mark[data-finding="${btn.id}"]`);
    if (scroll && first) first.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  for (const b of findings) b.addEventListener('click', () => selectFinding(b));

  const info = $('#cell-info');
  function showCell(td) {
    for (const c of cells) c.classList.remove('current');
    td.classList.add('current');
    const path = td.dataset.path;
    const mine = findings.filter((b) => pathsOf(b).some((p) => names(path, p)));
    for (const b of findings) b.classList.toggle('related', mine.includes(b));
    if (!info) return;
    info.textContent = '';
    const head = document.createElement('p');
    const code = document.createElement('code');
    code.textContent = path;
    head.appendChild(code);
    const val = $('.val', td);
    if (val && val.textContent) head.append(' = ' + val.textContent);
    info.appendChild(head);
    if (!mine.length) {
      const p = document.createElement('p');
      p.className = 'none';
      p.textContent = info.dataset.none || document.body.dataset.noneText || '—';
      info.appendChild(p);
      return;
    }
    const ul = document.createElement('ul');
    ul.className = 'cell-findings';
    for (const b of mine) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = '#' + b.id;
      a.textContent = $('.rule', b).textContent + ' — ' + $('.message', b).textContent;
      a.addEventListener('click', (ev) => {
        ev.preventDefault();
        if (b.getAttribute('aria-pressed') !== 'true') selectFinding(b, { scroll: false });
        b.focus();
      });
      li.appendChild(a);
      ul.appendChild(li);
    }
    info.appendChild(ul);
  }
  for (const td of cells) {
    td.addEventListener('focus', () => showCell(td));
    td.addEventListener('click', () => showCell(td));
  }

  // Arrow keys move between the value cells of a table; Escape clears the selection.
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') return clearSelection();
    const td = ev.target instanceof HTMLElement ? ev.target.closest('td.v') : null;
    if (!td || !['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(ev.key)) return;
    const row = td.parentElement;
    let next = null;
    if (ev.key === 'ArrowLeft' || ev.key === 'ArrowRight') {
      const list = $$('td.v', row);
      next = list[list.indexOf(td) + (ev.key === 'ArrowLeft' ? -1 : 1)];
    } else {
      const index = Array.from(row.cells).indexOf(td);
      let r = ev.key === 'ArrowUp' ? row.previousElementSibling : row.nextElementSibling;
      while (r && !(r.cells[index] && r.cells[index].matches('td.v'))) r = ev.key === 'ArrowUp' ? r.previousElementSibling : r.nextElementSibling;
      next = r ? r.cells[index] : null;
    }
    if (next) {
      ev.preventDefault();
      next.focus();
    }
  });

  // --- uploads -----------------------------------------------------------------------
  const drop = $('#drop');
  const input = $('#upload');
  const status = $('#status');
  const say = (s) => { if (status) status.textContent = s; };

  async function upload(files) {
    const list = Array.from(files || []);
    if (!list.length) return;
    let go = null;
    const problems = [];
    const max = Number(drop.dataset.maxBytes || 0);
    const limit = max >= 1048576 ? Math.round(max / 1048576) + ' MB' : max + ' bytes';
    for (const f of list) {
      // The server refuses it anyway (413); checked here so the file is not sent for nothing.
      if (max && f.size > max) {
        problems.push(f.name + ': ' + drop.dataset.tooLarge + ' ' + limit + ' (too-large)');
        continue;
      }
      say((drop.dataset.uploading || '…') + ' ' + f.name + ' …');
      try {
        const res = await fetch('/api/upload', {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(f.name) },
          body: f,
        });
        const body = await res.json().catch(() => ({}));
        if (res.ok && body.id) {
          if (!go) go = body.id;
        } else {
          problems.push(f.name + ': ' + (body.reason || res.status + ' ' + res.statusText));
        }
      } catch (e) {
        problems.push(f.name + ': ' + (e && e.message ? e.message : String(e)));
      }
    }
    if (problems.length) say((drop.dataset.failed || '✗') + ' — ' + problems.join('; '));
    if (go && !problems.length) location.assign(withLang('/r/' + encodeURIComponent(go)));
    else if (go) {
      const a = document.createElement('a');
      a.href = withLang('/r/' + encodeURIComponent(go));
      a.textContent = ' →';
      status.appendChild(a);
    }
  }

  if (input) input.addEventListener('change', () => { upload(input.files); input.value = ''; });
  let depth = 0;
  document.addEventListener('dragenter', (ev) => { ev.preventDefault(); depth++; document.body.classList.add('dragging'); });
  document.addEventListener('dragleave', () => { if (--depth <= 0) { depth = 0; document.body.classList.remove('dragging'); } });
  document.addEventListener('dragover', (ev) => ev.preventDefault());
  document.addEventListener('drop', (ev) => {
    ev.preventDefault();
    depth = 0;
    document.body.classList.remove('dragging');
    if (ev.dataTransfer) upload(ev.dataTransfer.files);
  });
})();
