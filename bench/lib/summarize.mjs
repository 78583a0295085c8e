// Reads the raw runs of bench/compare.sh (<run>.<ours|node>.<rep>.json and
// metrics.txt) and prints the comparison table (Markdown): per metric the
// medians of ours and Node, the ratio ours / Node, the target and whether it
// is met; then what else a reader needs to trust it (errors, CPU of server
// and load tool).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const metrics = readFileSync(path.join(dir, 'metrics.txt'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const [label, run, jsonPath, better, target] = line.split('|');
    return { label, run, jsonPath, better, target };
  });

// runs[run][kind] = [result, ...]
const runs = {};
for (const f of readdirSync(dir)) {
  const m = /^(.+)\.(ours|node|limit)\.(\d+)\.json$/.exec(f);
  if (!m) continue;
  let r = null;
  try {
    r = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
  } catch {
    r = null; // a run that printed nothing (crashed): counted as missing
  }
  ((runs[m[1]] ??= {})[m[2]] ??= []).push(r);
}

const get = (obj, p) => p.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const fmt = (x) => {
  if (!Number.isFinite(x)) return 'n/a';
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString('en-US');
  return x.toFixed(x >= 10 ? 1 : 2);
};

function verdict(target, ours, node) {
  const m = /^(ratio|abs)(>=|<=)([\d.]+)$/.exec(target);
  if (!m) return { text: target, met: null };
  const limit = Number(m[3]);
  const value = m[1] === 'ratio' ? ours / node : ours;
  const met = m[2] === '>=' ? value >= limit : value <= limit;
  const what = m[1] === 'ratio' ? `${m[2] === '>=' ? '≥' : '≤'} ${limit}x` : `≤ ${fmt(limit)}`;
  return { text: what, met: Number.isFinite(value) ? met : false };
}

// The "limit" column: bench/ceiling (a server that only frames bytes), when run.
const withLimit = Object.values(runs).some((r) => r.limit?.length);
const rows = [];
rows.push(`| metric | ours | Node | ours / Node | target | met |${withLimit ? ' limit | ours / limit |' : ''}`);
rows.push(`|---|---:|---:|---:|---|---|${withLimit ? '---:|---:|' : ''}`);
let met = 0;
let total = 0;
for (const m of metrics) {
  const r = runs[m.run];
  if (!r) continue;
  const ours = median((r.ours ?? []).map((x) => get(x, m.jsonPath)));
  const node = median((r.node ?? []).map((x) => get(x, m.jsonPath)));
  const v = verdict(m.target, ours, node);
  total += 1;
  if (v.met) met += 1;
  let extra = '';
  if (withLimit) {
    const limit = median((r.limit ?? []).map((x) => get(x, m.jsonPath)));
    extra = ` ${fmt(limit)} | ${fmt(ours / limit)} |`;
  }
  rows.push(`| ${m.label} | ${fmt(ours)} | ${fmt(node)} | ${fmt(ours / node)} | ${v.text} | ${v.met ? 'yes' : '**no**'} |${extra}`);
}
console.log(rows.join('\n'));
console.log(`\n${met} of ${total} targets met.\n`);

// The latency floor of this machine (bench/tcp_floor.cpp), when measured.
const floors = readdirSync(dir)
  .filter((f) => /^floor\.\d+\.json$/.test(f))
  .map((f) => {
    try {
      return JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
    } catch {
      return null;
    }
  })
  .filter(Boolean);
if (floors.length) {
  const p50 = median(floors.map((f) => f.p50_us));
  const p99 = median(floors.map((f) => f.p99_us));
  console.log(
    `Latency floor of this machine (bench/tcp_floor: a trivial C++ echo over loopback TCP at 5,000 messages/s, ` +
      `both sides sleeping between messages; median of ${floors.length}): p50 ${fmt(p50)} us, p99 ${fmt(p99)} us. ` +
      `No server's latency can go below it.\n`,
  );
}

// Work per server CPU-second: throughput divided by the server's CPU use in
// the same run. Less sensitive to a shared machine than the raw rate (a
// server that got less of its core also did less), so it is shown beside it.
console.log(`| throughput metric | ours per server CPU-second | Node per server CPU-second | ours / Node |${withLimit ? ' limit per server CPU-second | ours / limit |' : ''}`);
console.log(`|---|---:|---:|---:|${withLimit ? '---:|---:|' : ''}`);
for (const m of metrics) {
  const r = runs[m.run];
  if (!r || m.jsonPath !== 'events_per_sec') continue;
  const eff = (kind) =>
    median((r[kind] ?? []).map((x) => (x?.server?.cpu_percent > 0 ? x.events_per_sec / (x.server.cpu_percent / 100) : NaN)));
  const o = eff('ours');
  const n = eff('node');
  const l = eff('limit');
  console.log(`| ${m.label} | ${fmt(o)} | ${fmt(n)} | ${fmt(o / n)} |${withLimit ? ` ${fmt(l)} | ${fmt(o / l)} |` : ''}`);
}
console.log('');

// Trust: errors, and who used the CPU (a load tool near 100 % would mean the
// tool, not the server, set the pace).
console.log(`| run | errors (ours / Node) | server CPU % (ours / Node) | load tool CPU %, max (ours / Node) | other work, % of a core, max |${withLimit ? ' errors, server CPU % (limit) |' : ''}`);
console.log(`|---|---:|---:|---:|---:|${withLimit ? '---:|' : ''}`);
for (const [run, r] of Object.entries(runs)) {
  const cell = (kind, f) => (r[kind] ?? []).map(f);
  const errs = (kind) => cell(kind, (x) => (x ? x.errors.total : 'crash')).join('+');
  const scpu = (kind) => fmt(median(cell(kind, (x) => x?.server?.cpu_percent)));
  const tcpu = (kind) => fmt(Math.max(...cell(kind, (x) => x?.tool?.cpu_percent ?? NaN)));
  const others = fmt(Math.max(...['ours', 'node'].flatMap((k) => cell(k, (x) => x?.machine?.others_cpu_percent ?? NaN))));
  const limitCells = withLimit ? ` ${errs('limit')}, ${scpu('limit')} |` : '';
  console.log(`| ${run} | ${errs('ours')} / ${errs('node')} | ${scpu('ours')} / ${scpu('node')} | ${tcpu('ours')} / ${tcpu('node')} | ${others} |${limitCells}`);
}
