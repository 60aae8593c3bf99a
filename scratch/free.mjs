import { parse } from 'acorn';
import fs from 'node:fs';
const src = fs.readFileSync('/tmp/init.js', 'utf8');
// crude: collect identifiers that are referenced but never declared anywhere in the program
const ast = parse(src, { ecmaVersion: 'latest', sourceType: 'script' });
const declared = new Set(); const used = new Map();
const { full } = await import('acorn-walk');
full(ast, (n, st, type) => {
  if (type === 'VariableDeclarator' && n.id.type === 'Identifier') declared.add(n.id.name);
  if ((type === 'FunctionDeclaration' || type === 'ClassDeclaration') && n.id) declared.add(n.id.name);
  if (type === 'FunctionDeclaration' || type === 'FunctionExpression' || type === 'ArrowFunctionExpression') for (const p of n.params) { if (p.type === 'Identifier') declared.add(p.name); if (p.type === 'AssignmentPattern' && p.left.type === 'Identifier') declared.add(p.left.name); }
  if (type === 'CatchClause' && n.param?.type === 'Identifier') declared.add(n.param.name);
  if (type === 'ObjectPattern') for (const p of n.properties) if (p.value?.type === 'Identifier') declared.add(p.value.name);
  if (type === 'Identifier') used.set(n.name, (used.get(n.name) ?? 0) + 1);
});
const free = [...used].filter(([k]) => !declared.has(k)).sort((a, b) => b[1] - a[1]);
console.log(free.slice(0, 80).map(([k, v]) => `${k}:${v}`).join(' '));
