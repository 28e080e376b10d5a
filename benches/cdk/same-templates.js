// node same-templates.js FORMWORK_DIR CDK_DIR
//
// Checks that two cloud assemblies hold the same stacks with equal templates
// (equal as JSON values: key order is ignored), and prints each stack's
// resources by type. Exit status 1 on any difference.
'use strict';
const fs = require('fs');
const path = require('path');
const { isDeepStrictEqual } = require('util');

const [fwDir, cdkDir] = process.argv.slice(2);
if (!fwDir || !cdkDir) {
  console.error('usage: node same-templates.js FORMWORK_DIR CDK_DIR');
  process.exit(2);
}
const templates = (dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.template.json')).sort();
const read = (dir, f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
const byType = (t) => {
  const types = {};
  for (const r of Object.values(t.Resources || {})) types[r.Type] = (types[r.Type] || 0) + 1;
  return Object.entries(types).map(([k, v]) => `${v} ${k}`).join(', ');
};

let ok = true;
const fw = templates(fwDir);
const cdk = templates(cdkDir);
if (!isDeepStrictEqual(fw, cdk)) {
  console.log(`different stacks: formwork ${fw.join(' ')}; CDK ${cdk.join(' ')}`);
  ok = false;
}
let resources = 0;
for (const f of fw.filter((x) => cdk.includes(x))) {
  const a = read(fwDir, f);
  const b = read(cdkDir, f);
  resources += Object.keys(a.Resources || {}).length;
  if (isDeepStrictEqual(a, b)) continue;
  ok = false;
  const sections = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const s of sections) {
    if (isDeepStrictEqual(a[s], b[s])) continue;
    const ka = Object.keys(a[s] || {});
    const kb = Object.keys(b[s] || {});
    const diff = [...new Set([...ka, ...kb])].filter((k) => !isDeepStrictEqual((a[s] || {})[k], (b[s] || {})[k]));
    console.log(`${f}: ${s} differs: ${diff.slice(0, 5).join(', ')}${diff.length > 5 ? ', ...' : ''}`);
  }
}
const sample = fw[0] ? byType(read(fwDir, fw[0])) : '';
console.log(`${ok ? 'same' : 'DIFFERENT'}: ${fw.length} template(s), ${resources} resources` +
  (fw[0] ? `; ${fw[0]}: ${sample}` : ''));
process.exit(ok ? 0 : 1);
