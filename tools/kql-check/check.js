#!/usr/bin/env node
// Checks Cairn's KQL lookups with Microsoft's Kusto language service: no
// syntax or semantic error against the tables of schema.json (Log Analytics
// or advanced hunting, by the lookup's target), and every `bind` column in
// the query's result. Input: the JSON written by
// `cargo run --example kql_lookups`. Exit 1 on any problem.
'use strict';

const fs = require('fs');
const path = require('path');

require('@kusto/language-service-next/bridge.js');
require('@kusto/language-service-next');
const K = global.Kusto.Language;
const S = K.Symbols;

/** The globals of one target: a database holding its tables. */
function globalsFor(tables) {
  const symbols = Object.entries(tables).map(([name, columns]) => {
    const spec = '(' + columns.map(([c, t]) => `['${c}']:${t}`).join(', ') + ')';
    return S.TableSymbol.From(spec).WithName(name);
  });
  const db = new S.DatabaseSymbol.$ctor2('cairn', null, symbols);
  return K.GlobalState.Default.WithDatabase(db);
}

function list(items) {
  const out = [];
  if (!items) return out;
  for (let i = 0; i < items.Count; i++) out.push(items.getItem(i));
  return out;
}

/** Problems of one lookup, as strings; empty when it passes. */
function checkLookup(lookup, globals) {
  const where = `${lookup.tree}: lookup '${lookup.lookup}' of node '${lookup.node}' (${lookup.target})`;
  const g = globals[lookup.target];
  if (!g) return [`${where}: unknown target '${lookup.target}'`];
  const code = K.KustoCode.ParseAndAnalyze(lookup.query, g);
  const problems = [];
  for (const d of list(code.GetDiagnostics())) {
    if (String(d.Severity) !== 'Error') continue;
    const before = lookup.query.slice(0, d.Start);
    const line = before.split('\n').length;
    const col = d.Start - before.lastIndexOf('\n');
    problems.push(`${where}:${line}:${col}: ${d.Code} ${d.Message}`);
  }
  const result = code.ResultType;
  const columns = result && result.Columns ? list(result.Columns).map((c) => c.Name) : [];
  for (const column of lookup.bind || []) {
    if (!columns.includes(column)) {
      problems.push(`${where}: bind column '${column}' is not in the result (${columns.join(', ')})`);
    }
  }
  return problems;
}

function checkAll(lookups, schema) {
  const globals = {
    loganalytics: globalsFor(schema.loganalytics),
    hunting: globalsFor(schema.hunting),
  };
  return lookups.flatMap((l) => checkLookup(l, globals));
}

module.exports = { checkAll };

if (require.main === module) {
  const input = process.argv[2];
  if (!input) {
    console.error('usage: check.js LOOKUPS.json [SCHEMA.json]');
    process.exit(2);
  }
  const schemaFile = process.argv[3] || path.join(__dirname, 'schema.json');
  const lookups = JSON.parse(fs.readFileSync(input, 'utf8'));
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  if (lookups.length === 0) {
    console.error('no KQL lookups to check');
    process.exit(1);
  }
  const problems = checkAll(lookups, schema);
  for (const p of problems) console.error(p);
  console.log(`kql-check: ${lookups.length} lookups, ${problems.length} problems`);
  process.exit(problems.length === 0 ? 0 : 1);
}
