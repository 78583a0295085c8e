// Checks that the `node` running this script satisfies every "engines.node"
// range declared in package-lock.json (the project's own and each pinned
// package's). Prints the version found and what needs more, and exits 1 when
// it does not satisfy them. Plain ES5 so that an old Node can still run it and say so.
// Usage: node scripts/check-node.cjs [package-lock.json]
'use strict';
var fs = require('fs');
var path = require('path');

var lockPath = process.argv[2] || path.join(__dirname, '..', 'package-lock.json');
var lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
var found = process.versions.node;

function parse(v) {
  var m = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(v.trim());
  if (!m) return null;
  var num = function (s) { return s === undefined || s === 'x' || s === '*' ? 0 : +s; };
  return [num(m[1]), num(m[2]), num(m[3])];
}
function cmp(a, b) {
  for (var i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}
// One comparator of a range: >=, >, <=, <, =, ^, ~, or a bare version.
function satisfiesOne(ver, comp) {
  var m = /^(>=|<=|>|<|=|\^|~)?\s*(.+)$/.exec(comp);
  var want = m && parse(m[2]);
  if (!want) return true;  // '*' or unknown: no constraint we can check
  var c = cmp(ver, want);
  switch (m[1]) {
    case '>=': return c >= 0;
    case '>': return c > 0;
    case '<=': return c <= 0;
    case '<': return c < 0;
    case '^': return c >= 0 && ver[0] === want[0];
    case '~': return c >= 0 && ver[0] === want[0] && ver[1] === want[1];
    default: return ver[0] === want[0] && (m[2].split('.').length < 2 || ver[1] === want[1]);
  }
}
// A range: comparator sets joined by '||', each a space-separated AND.
function satisfies(ver, range) {
  return range.split('||').some(function (set) {
    var comps = set.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/);
    return comps.every(function (c) { return c === '' || satisfiesOne(ver, c); });
  });
}

var ver = parse(found);
var unmet = [];
var pkgs = lock.packages || {};
Object.keys(pkgs).forEach(function (key) {
  var p = pkgs[key];
  var range = p.engines && p.engines.node;
  if (range && !satisfies(ver, range)) {
    var name = key === '' ? 'this project' : key.replace(/^.*node_modules\//, '') + ' ' + p.version;
    unmet.push(name + ' needs node ' + range);
  }
});
if (unmet.length) {
  console.error('deps: Node.js ' + found + ' found (' + process.execPath + '), which the pinned npm packages do not accept:');
  unmet.forEach(function (u) { console.error('  ' + u); });
  console.error('deps: install a Node.js that satisfies them, or put one first on PATH.');
  process.exit(1);
}
console.log('deps: Node.js ' + found + ' (' + process.execPath + ')');
