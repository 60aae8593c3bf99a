/*
 * CPU metering of component code: the loader rewrites a program so that every function
 * entry and every loop iteration counts one tick, the way a CPU's cycle counter runs
 * whether or not the program cooperates. The count is what the emulated kernels charge as
 * user time (virtual cycles), and what lets them stop a component that never returns to
 * the kernel.
 *
 * The inserted check is `if (--C < 0) T();` on a counter of the program's own closure:
 * one decrement and compare per tick, the trap only every CHUNK ticks. Component source
 * may not name the meter's identifiers (any identifier with the reserved prefix is
 * refused), so it can neither read nor reset its own meter.
 */
import type { Node } from 'acorn';
import { createRequire } from 'node:module';

/*
 * The parser is loaded on first use: a linux worker instruments only code its component
 * makes at run time (eval, Function), and most never do, so they never pay for acorn.
 */
let parser: { parse: typeof import('acorn').parse; simple: typeof import('acorn-walk').simple } | undefined;
function acorn(): NonNullable<typeof parser> {
  if (!parser) {
    const load = createRequire(import.meta.url);
    parser = { parse: (load('acorn') as typeof import('acorn')).parse, simple: (load('acorn-walk') as typeof import('acorn-walk')).simple };
  }
  return parser;
}

/** Every identifier the meter uses starts with this; component code may not use it. */
export const RESERVED_PREFIX = '__gt_';
export const COUNTER = `${RESERVED_PREFIX}c`;
export const TRAP = `${RESERVED_PREFIX}t`;
/** Where the program notes that its code runs (the running domain, see running_domain.ts). */
export const RUNNING = `${RESERVED_PREFIX}r`;
export const DOMAIN = `${RESERVED_PREFIX}d`;
/** Wraps an await or yield: the program notes again that its code runs when it resumes. */
export const RESUMED = `${RESERVED_PREFIX}aw`;
/** Ticks between two traps into the host. */
export const CHUNK = 10_000;

export class MeteringError extends Error {
  override name = 'MeteringError';
}

interface Edit {
  at: number;
  text: string;
  /** Edits at one position: lower order first. */
  order: number;
  /** For a replacement: where the replaced text ends (else `at`: an insertion). */
  end?: number;
}

/*
 * Edits at one position apply in this order: first what closes (innermost first: an
 * await, an arrow's expression body, a statement made a block), since a node that ends
 * there comes before one that starts there; then a block's tick (it precedes the block's
 * first statement, which may start right after the brace in compact code); then wrappers
 * that open (outermost first: a statement made a block, an arrow's expression body, an
 * await); last a literal rewritten in place.
 */
const CLOSE_RESUMED = -30;
const CLOSE_ARROW = -20;
const CLOSE_STATEMENT = -10;
const BLOCK_TICK = -4;
const OPEN_STATEMENT = -3;
const OPEN_ARROW = -2;
const OPEN_RESUMED = -1;
const LITERAL = 1;

const SUSPICIOUS = /<!--|-->|\bimport\s*\(|\beval\s*\(/;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyNode = any;

/**
 * Inserts the tick check at every function entry and loop body of `source`.
 * Throws MeteringError for source that names the reserved prefix or does not parse.
 */
export interface TickChecks {
  /** A statement that counts one tick. */
  stmt: string;
  /** The same as an expression. */
  expr: string;
  /** A function wrapped around every await and yield expression, if any. */
  resumed?: string;
}

/** The program's own closure counter and trap. */
export const CLOSURE_CHECKS: TickChecks = {
  stmt: `${RUNNING}.c = ${DOMAIN}; if (--${COUNTER} < 0) ${TRAP}();`,
  expr: `(${RUNNING}.c = ${DOMAIN}, --${COUNTER} < 0 && ${TRAP}())`,
  resumed: RESUMED,
};

export function instrument(source: string, checks: TickChecks = CLOSURE_CHECKS): string {
  const { parse, simple } = acorn();
  let ast: Node;
  try {
    ast = parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true, allowHashBang: true });
  } catch (e) {
    throw new MeteringError(`cannot parse program: ${(e as Error).message}`);
  }
  const check = checks.stmt;
  const edits: Edit[] = [];
  const blockStart = (block: AnyNode): void => void edits.push({ at: block.start + 1, text: check, order: BLOCK_TICK });
  const wrapStatement = (stmt: AnyNode): void => {
    if (stmt.type === 'BlockStatement') return blockStart(stmt);
    edits.push({ at: stmt.start, text: `{${check}`, order: OPEN_STATEMENT });
    edits.push({ at: stmt.end, text: '}', order: CLOSE_STATEMENT });
  };
  const fn = (node: AnyNode): void => {
    const body = node.body as AnyNode;
    if (body.type === 'BlockStatement') return blockStart(body);
    /* an arrow function with an expression body */
    edits.push({ at: body.start, text: `(${checks.expr}, (`, order: OPEN_ARROW });
    edits.push({ at: body.end, text: '))', order: CLOSE_ARROW });
  };
  const loop = (node: AnyNode): void => wrapStatement(node.body as AnyNode);
  /*
   * SES refuses source text that looks like an HTML comment, `import(` or `eval(`, even
   * inside a string. Such literals are written with an escape instead (same value).
   */
  const evade = (node: AnyNode): void => {
    const raw: string | undefined = node.type === 'TemplateElement' ? node.value.raw : node.raw;
    if (typeof raw !== 'string' || !SUSPICIOUS.test(raw)) return;
    let text = raw.replace(/<!--/g, '\\x3C!--').replace(/-->/g, '--\\x3E');
    if (!node.regex) text = text.replace(/\bimport(\s*\()/g, '\\x69mport$1').replace(/\beval(\s*\()/g, '\\x65val$1');
    if (text === raw) return;
    const start: number = node.start;
    edits.push({ at: start, text, order: LITERAL, end: start + raw.length });
  };
  /* code after an await or yield runs again without a function entry */
  const resumed = (node: AnyNode): void => {
    if (!checks.resumed) return;
    edits.push({ at: node.start, text: `${checks.resumed}(`, order: OPEN_RESUMED });
    edits.push({ at: node.end, text: ')', order: CLOSE_RESUMED });
  };
  const reserved = (name: unknown, node: AnyNode) => {
    if (typeof name === 'string' && name.startsWith(RESERVED_PREFIX)) {
      throw new MeteringError(`the program names the reserved identifier "${name}" at offset ${node.start}`);
    }
  };
  simple(ast, {
    FunctionDeclaration: fn,
    FunctionExpression: fn,
    ArrowFunctionExpression: fn,
    ForStatement: loop,
    ForInStatement: loop,
    ForOfStatement: loop,
    WhileStatement: loop,
    DoWhileStatement: loop,
    Identifier: (n) => reserved((n as AnyNode).name, n as AnyNode),
    PrivateIdentifier: (n) => reserved((n as AnyNode).name, n as AnyNode),
    AwaitExpression: (n) => resumed(n as AnyNode),
    YieldExpression: (n) => resumed(n as AnyNode),
    /* text SES would take for an HTML comment, a dynamic import or a direct eval */
    Literal: (n) => evade(n as AnyNode),
    TemplateElement: (n) => evade(n as AnyNode),
    /* a static block runs like a function body */
    StaticBlock: (n) => void edits.push({ at: source.indexOf('{', (n as AnyNode).start) + 1, text: check, order: BLOCK_TICK }),
  });
  edits.sort((a, b) => a.at - b.at || a.order - b.order);
  let out = '';
  let pos = 0;
  for (const e of edits) {
    out += source.slice(pos, e.at) + e.text;
    pos = e.end ?? e.at;
  }
  return out + source.slice(pos);
}
