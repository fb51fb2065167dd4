// The check fails where it must: a planted bad column, a hunting query
// written with Log Analytics' TimeGenerated, a bind the result lacks, a
// syntax error; and passes a sound query.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const path = require('path');
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const { checkAll } = require('../check.js');
const schema = require('../schema.json');

const lookup = (query, target = 'loganalytics', bind = []) => ({
  tree: 't', node: 'n', lookup: 'l', target, query, bind,
});

test('a sound query passes, with its bind column', () => {
  const q = "SigninLogs | where UserPrincipalName =~ 'a@b.example' | extend EntraDeviceId = tostring(DeviceDetail.deviceId) | project TimeGenerated, IPAddress, EntraDeviceId";
  assert.deepStrictEqual(checkAll([lookup(q, 'loganalytics', ['IPAddress', 'EntraDeviceId'])], schema), []);
});

test('a planted bad column fails', () => {
  const problems = checkAll([lookup("SigninLogs | where UserPrincipalNam =~ 'a@b.example'")], schema);
  assert.strictEqual(problems.length, 1);
  assert.match(problems[0], /UserPrincipalNam/);
});

test('TimeGenerated in advanced hunting fails; Timestamp passes', () => {
  assert.strictEqual(checkAll([lookup('AlertInfo | project TimeGenerated', 'hunting')], schema).length, 1);
  assert.deepStrictEqual(checkAll([lookup('AlertInfo | project Timestamp', 'hunting')], schema), []);
  assert.strictEqual(checkAll([lookup('SigninLogs | project Timestamp')], schema).length, 1);
});

test('a bind column missing from the result fails', () => {
  const problems = checkAll([lookup('SigninLogs | project TimeGenerated', 'loganalytics', ['IPAddress'])], schema);
  assert.strictEqual(problems.length, 1);
  assert.match(problems[0], /bind column 'IPAddress'/);
});

test('a syntax error fails', () => {
  assert.ok(checkAll([lookup('SigninLogs | where')], schema).length >= 1);
});

test('the command exits 1 on a planted bad column and 0 on sound input', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kql-check-'));
  const bad = path.join(dir, 'bad.json');
  const good = path.join(dir, 'good.json');
  fs.writeFileSync(bad, JSON.stringify([lookup('AuditLogs | project NoSuchColumn')]));
  fs.writeFileSync(good, JSON.stringify([lookup('AuditLogs | project ActivityDisplayName')]));
  const script = path.join(__dirname, '..', 'check.js');
  assert.throws(() => execFileSync('node', [script, bad], { stdio: 'pipe' }), (e) => e.status === 1);
  execFileSync('node', [script, good], { stdio: 'pipe' });
});
