// The operator console: reads the API with the operator's bearer token every couple of seconds and renders what it
// answers. Everything a client or bank chose (ids, accounts, reasons, details) goes into the page as text nodes,
// never as markup, so an id such as "<script>" shows as those characters.
(function () {
  'use strict';

  const TOKEN_KEY = 'clearhouse.console.token';
  const REFRESH_MILLIS = 2000;
  // The conservation audit reads every bank, so it is asked for on every fifth refresh and after each action.
  const CONSERVATION_EVERY = 5;
  const AUDIT_ENTRIES = 20;
  // The page lives at <context>/console/; the API at <context>/api/.
  const base = location.pathname.replace(/\/console(\/.*)?$/, '');

  const byId = (id) => document.getElementById(id);
  let timer = null;
  let refreshes = 0;
  // An action refreshes at once while a timed refresh may still be in flight: only the latest one schedules the next.
  let generation = 0;
  const inDoubtRows = new Map();

  class AuthRefused extends Error {}

  function node(tag, attributes, ...children) {
    const element = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => element.setAttribute(name, String(value)));
    children.forEach((child) => element.append(child instanceof Node ? child : document.createTextNode(text(child))));
    return element;
  }

  function text(value) {
    return value === null || value === undefined ? '' : String(value);
  }

  function cell(value, className) {
    return node('td', className ? { class: className } : {}, value);
  }

  function replaceRows(tbody, rows) {
    tbody.replaceChildren(...rows);
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  async function call(method, path, body) {
    const headers = { Accept: 'application/json', Authorization: 'Bearer ' + token() };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(base + '/api/' + path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    const raw = await response.text();
    let json = null;
    try {
      json = JSON.parse(raw);
    } catch (notJson) {
      json = null;
    }
    if (response.status === 401 || response.status === 403) {
      askForToken(problemText(response.status, json, raw));
      throw new AuthRefused();
    }
    return { status: response.status, json: json, raw: raw };
  }

  function problemText(status, json, raw) {
    if (json && (json.reason || json.detail)) {
      return 'HTTP ' + status + ' ' + text(json.reason) + ': ' + text(json.detail);
    }
    return 'HTTP ' + status + ': ' + raw;
  }

  function askForToken(problem) {
    stop();
    generation++;
    sessionStorage.removeItem(TOKEN_KEY);
    byId('dashboard').hidden = true;
    byId('sign-out').hidden = true;
    byId('sign-in').hidden = false;
    const shown = byId('token-problem');
    shown.textContent = problem ? 'The server refused the token: ' + problem + '. Paste another one.' : '';
    shown.hidden = !problem;
    byId('token-input').value = '';
    byId('token-input').focus();
  }

  function open() {
    byId('sign-in').hidden = true;
    byId('dashboard').hidden = false;
    byId('sign-out').hidden = false;
    refreshes = 0;
    refresh();
  }

  function stop() {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
  }

  async function refresh() {
    stop();
    const mine = ++generation;
    const parts = [overview(), inDoubt(), cluster(), audit()];
    if (refreshes % CONSERVATION_EVERY === 0) {
      parts.push(conservation());
    }
    refreshes++;
    const results = await Promise.allSettled(parts);
    if (results.some((result) => result.status === 'rejected' && result.reason instanceof AuthRefused)) {
      return;
    }
    const failures = results.filter((result) => result.status === 'rejected').map((result) => text(result.reason));
    byId('error').textContent = failures.join('\n');
    byId('error').hidden = failures.length === 0;
    const now = new Date().toISOString();
    byId('last-refresh').textContent = 'refreshed ' + now;
    byId('last-refresh').dataset.refreshedAt = now;
    if (token() && mine === generation) {
      timer = setTimeout(refresh, REFRESH_MILLIS);
    }
  }

  function expectOk(answer, what) {
    if (answer.status !== 200) {
      throw new Error(what + ': ' + problemText(answer.status, answer.json, answer.raw));
    }
    return answer.json;
  }

  async function overview() {
    const body = expectOk(await call('GET', 'console/overview'), 'overview');
    byId('throughput-window').textContent = body.throughput.window_seconds;
    byId('committed-per-second').textContent = body.throughput.committed_per_second.toFixed(2);
    byId('aborted-per-second').textContent = body.throughput.aborted_per_second.toFixed(2);
    const rows = [node('tr', { 'data-outcome': 'committed' },
      cell('committed'), cell(''), cell(body.outcomes.committed, 'number count'))];
    Object.entries(body.outcomes.aborted_by_reason).forEach(([reason, count]) => {
      rows.push(node('tr', { 'data-outcome': 'aborted', 'data-reason': reason },
        cell('aborted'), cell(reason), cell(count, 'number count')));
    });
    replaceRows(document.querySelector('#outcomes-table tbody'), rows);
    replaceRows(document.querySelector('#recent-table tbody'), body.recent.map((entry) =>
      node('tr', { 'data-transaction-id': entry.id, 'data-status': entry.status },
        cell(entry.at), cell(entry.id, 'id'), cell(entry.status, 'status'), cell(entry.reason, 'reason'),
        cell(describe(entry)))));
  }

  function describe(entry) {
    if (entry.postings) {
      return entry.postings.map((posting) => posting.account + ' ' + posting.amount).join(', ');
    }
    return entry.from + ' \u2192 ' + entry.to + ': ' + entry.amount;
  }

  async function inDoubt() {
    const body = expectOk(await call('GET', 'recovery'), 'branches in doubt');
    const branches = [];
    body.transactions.forEach((transaction) => transaction.banks.forEach((bank) => branches.push({ bank, transaction })));
    branches.sort((a, b) => a.bank.localeCompare(b.bank) || b.transaction.age_seconds - a.transaction.age_seconds);
    byId('in-doubt-count').textContent = body.branches_in_doubt;
    renderBanks(branches);
    const tbody = document.querySelector('#in-doubt-table tbody');
    const wanted = new Set();
    const ordered = branches.map(({ bank, transaction }) => {
      const key = transaction.transaction_id + '\u0000' + bank;
      wanted.add(key);
      let row = inDoubtRows.get(key);
      if (!row) {
        // Kept across refreshes, so that a settle form being filled in is not wiped by the next refresh.
        row = inDoubtRow(bank, transaction);
        inDoubtRows.set(key, row);
      }
      const age = row.querySelector('.age');
      age.textContent = formatAge(transaction.age_seconds);
      age.dataset.ageSeconds = transaction.age_seconds;
      row.querySelector('.decision').textContent = transaction.decision;
      return row;
    });
    inDoubtRows.forEach((row, key) => {
      if (!wanted.has(key)) {
        row.remove();
        inDoubtRows.delete(key);
      }
    });
    if (ordered.some((row, index) => tbody.children[index] !== row)) {
      ordered.forEach((row) => tbody.append(row));
    }
  }

  function renderBanks(branches) {
    const banks = new Map();
    branches.forEach(({ bank, transaction }) => {
      const seen = banks.get(bank) || { count: 0, oldest: 0 };
      banks.set(bank, { count: seen.count + 1, oldest: Math.max(seen.oldest, transaction.age_seconds) });
    });
    replaceRows(byId('in-doubt-banks'), [...banks.entries()].map(([bank, summary]) =>
      node('li', { 'data-bank': bank, 'data-branches': summary.count },
        'bank ' + bank + ': ' + summary.count + ' in doubt, the oldest for ' + formatAge(summary.oldest))));
  }

  function inDoubtRow(bank, transaction) {
    const outcome = node('select', { class: 'outcome', 'aria-label': 'outcome' },
      node('option', { value: 'commit' }, 'commit'), node('option', { value: 'rollback' }, 'rollback'));
    outcome.value = transaction.decision === 'commit' ? 'commit' : 'rollback';
    const force = node('input', { type: 'checkbox', class: 'force', 'aria-label': 'force' });
    const reason = node('input', { type: 'text', class: 'reason', maxlength: 1000, placeholder: 'reason',
      'aria-label': 'reason' });
    const button = node('button', { type: 'button', class: 'settle-button' }, 'Settle');
    button.addEventListener('click', () => settle(transaction.transaction_id, bank, outcome.value, force.checked,
      reason.value, button));
    return node('tr', { 'data-transaction-id': transaction.transaction_id, 'data-bank': bank },
      cell(bank, 'bank'), cell(transaction.transaction_id, 'id'), cell(transaction.decision, 'decision'),
      cell('', 'age number'), cell(transaction.in_doubt_since, 'since'),
      node('td', { class: 'settle' }, outcome, ' ', node('label', {}, force, ' force'), ' ', reason, ' ', button));
  }

  function formatAge(seconds) {
    if (seconds < 120) {
      return seconds.toFixed(1) + ' s';
    }
    if (seconds < 7200) {
      return Math.floor(seconds / 60) + ' min ' + Math.floor(seconds % 60) + ' s';
    }
    return (seconds / 3600).toFixed(1) + ' h';
  }

  function settle(transactionId, bank, outcome, force, reason, button) {
    const body = { transaction_id: transactionId, bank: bank, outcome: outcome, force: force };
    if (reason.trim() !== '') {
      body.reason = reason;
    }
    return act(button, byId('settle-answer'), () => call('POST', 'recovery/settlements', body), (answer) =>
      (answer.status === 200 ? 'HTTP 200' : problemText(answer.status, answer.json, answer.raw)) + '\n' + answer.raw);
  }

  function runRecovery() {
    return act(byId('run-recovery'), byId('recovery-answer'), () => call('POST', 'recovery'), (answer) =>
      answer.status === 200
        ? 'committed ' + answer.json.committed + ', rolled back ' + answer.json.rolled_back + ', still in doubt '
          + answer.json.still_in_doubt + ', skipped in flight ' + answer.json.skipped_in_flight
        : problemText(answer.status, answer.json, answer.raw));
  }

  // An operator's action: its button is off while it runs, its answer shown in `shown` as `describe` words it, then
  // the page is read again at once, conservation included.
  async function act(button, shown, send, describe) {
    button.disabled = true;
    try {
      const answer = await send();
      shown.dataset.status = answer.status;
      shown.dataset.reason = answer.json && answer.json.reason ? answer.json.reason : '';
      shown.textContent = describe(answer);
      refreshes = 0;
      await refresh();
    } catch (failure) {
      if (!(failure instanceof AuthRefused)) {
        shown.dataset.status = 'failed';
        shown.textContent = text(failure);
      }
    } finally {
      button.disabled = false;
    }
  }

  async function conservation() {
    const body = expectOk(await call('GET', 'audit/conservation'), 'conservation audit');
    const conserved = byId('conserved');
    conserved.dataset.conserved = body.conserved === null ? 'unknown' : String(body.conserved);
    conserved.textContent = body.conserved === null ? 'unknown' : body.conserved ? 'conserved' : 'NOT CONSERVED';
    byId('expected-total').textContent = text(body.expected_total);
    byId('actual-total').textContent = text(body.actual_total);
    byId('difference').textContent = text(body.difference);
    byId('conservation-checked-at').textContent = 'checked ' + text(body.checked_at)
      + (body.settled ? '' : ', not settled: transactions were in flight');
    replaceRows(document.querySelector('#conservation-table tbody'), body.banks.map((bank) =>
      node('tr', { 'data-bank': bank.bank, 'data-status': bank.status },
        cell(bank.bank), cell(bank.status), cell(bank.opening_total, 'number'), cell(bank.posted_total, 'number'),
        cell(bank.error))));
  }

  async function cluster() {
    const answer = await call('GET', 'cluster');
    const section = byId('cluster');
    // A server that is not a node of a cluster answers 404 NOT_A_CLUSTER: nothing to show.
    section.hidden = answer.status !== 200;
    if (answer.status !== 200) {
      return;
    }
    byId('cluster-leader').textContent = answer.json.leader === null ? 'none known' : answer.json.leader;
    byId('cluster-term').textContent = text(answer.json.term);
    replaceRows(document.querySelector('#cluster-table tbody'), answer.json.nodes.map((clusterNode) =>
      node('tr', { 'data-node': clusterNode.id, 'data-role': clusterNode.role },
        cell(clusterNode.id), cell(clusterNode.url), cell(clusterNode.role), cell(clusterNode.pid, 'number'))));
  }

  async function audit() {
    const answer = await call('GET', 'audit?limit=' + AUDIT_ENTRIES);
    const note = byId('audit-note');
    if (answer.status !== 200) {
      note.hidden = false;
      note.textContent = 'The audit trail did not answer: ' + problemText(answer.status, answer.json, answer.raw);
      return;
    }
    note.hidden = true;
    replaceRows(document.querySelector('#audit-table tbody'), answer.json.entries.map((entry) =>
      node('tr', { 'data-audit-id': entry.id, 'data-action': entry.action },
        cell(entry.id, 'number'), cell(entry.at), cell(entry.actor, 'actor'), cell(entry.action, 'action'),
        cell(entry.transaction_id, 'id'), cell(entry.bank, 'bank'), cell(entry.outcome, 'outcome'),
        cell(entry.reason, 'reason'), cell(entry.result, 'result'))));
  }

  function start() {
    byId('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const pasted = byId('token-input').value.trim();
      if (pasted !== '') {
        sessionStorage.setItem(TOKEN_KEY, pasted);
        byId('token-problem').hidden = true;
        open();
      }
    });
    byId('sign-out').addEventListener('click', () => askForToken(null));
    byId('run-recovery').addEventListener('click', runRecovery);
    if (token()) {
      open();
    } else {
      askForToken(null);
    }
  }

  start();
}());
