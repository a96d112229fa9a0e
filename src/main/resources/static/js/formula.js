// Formulas: the task's expression evaluated exactly (the target a model is compared with), and a model's
// formula text ("y = a × b", "y = √a", "y = a^2 ÷ b") typeset as MathML, which browsers render with no library.

const SYMBOLS = { '×': '*', '÷': '/', '−': '-', '√': 'sqrt' };

function tokens(text) {
  const out = [];
  const re = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)|([A-Za-z_][A-Za-z_0-9]*)|(.))/gy;
  let m;
  while (re.lastIndex < text.length && (m = re.exec(text))) {
    if (m[1] !== undefined) out.push({ kind: 'number', text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'name', text: m[2] });
    else if (m[3].trim()) out.push({ kind: 'op', text: SYMBOLS[m[3]] ?? m[3], shown: m[3] });
  }
  return out;
}

/**
 * Compiles an expression of the API's grammar (+ - * / ^, sqrt(), × ÷ − √, numbers, parentheses) into a
 * function of a variables object. ^ binds tighter than unary minus and is right-associative.
 */
export function compile(text) {
  const ts = tokens(text);
  let i = 0;
  const peek = () => ts[i]?.text;
  const take = expected => {
    const t = ts[i++];
    if (!t || (expected && t.text !== expected)) throw new Error(`expected ${expected || 'more'} in ${text}`);
    return t;
  };
  function sum() {
    let f = product();
    while (peek() === '+' || peek() === '-') {
      const op = take().text, a = f, b = product();
      f = op === '+' ? v => a(v) + b(v) : v => a(v) - b(v);
    }
    return f;
  }
  function product() {
    let f = unary();
    while (peek() === '*' || peek() === '/') {
      const op = take().text, a = f, b = unary();
      f = op === '*' ? v => a(v) * b(v) : v => a(v) / b(v);
    }
    return f;
  }
  function unary() {
    if (peek() === '-') { take(); const a = unary(); return v => -a(v); }
    if (peek() === '+') { take(); return unary(); }
    return power();
  }
  function power() {
    const base = primary();
    if (peek() === '^') { take(); const e = unary(); return v => Math.pow(base(v), e(v)); }
    return base;
  }
  function primary() {
    const t = take();
    if (t.kind === 'number') { const x = Number(t.text); return () => x; }
    if (t.text === '(') { const f = sum(); take(')'); return f; }
    if (t.text === 'sqrt') {
      if (peek() === '(') { take('('); const f = sum(); take(')'); return v => Math.sqrt(f(v)); }
      const f = primary();
      return v => Math.sqrt(f(v));
    }
    if (t.kind === 'name') return v => { if (!(t.text in v)) throw new Error(`no value for ${t.text}`); return v[t.text]; };
    throw new Error(`unexpected ${t.shown || t.text} in ${text}`);
  }
  const f = sum();
  if (i < ts.length) throw new Error(`unexpected ${ts[i].shown || ts[i].text} in ${text}`);
  return f;
}

const MATHML = 'http://www.w3.org/1998/Math/MathML';

function m(tag, ...children) {
  const e = document.createElementNS(MATHML, tag);
  for (const c of children) e.append(typeof c === 'string' ? c : c);
  return e;
}

/** The formula text as a <math> element: names in italics, numbers upright, √ as a radical, ^ as a superscript. */
export function mathml(text) {
  const ts = tokens(text);
  let i = 0;
  function atom() {
    const t = ts[i++];
    if (!t) return m('mrow');
    let a;
    if (t.kind === 'number') a = m('mn', t.text);
    else if (t.kind === 'name') a = m('mi', t.text);
    else if (t.text === 'sqrt') a = m('msqrt', atom());
    else if (t.text === '(' || t.text === '|') {
      const close = t.text === '(' ? ')' : '|';
      const inner = sequence(close);
      i++;
      a = m('mrow', m('mo', t.text), inner, m('mo', close));
    } else a = m('mo', t.shown || t.text);
    if (ts[i]?.text === '^') { i++; a = m('msup', a, atom()); }
    return a;
  }
  function sequence(close) {
    const row = m('mrow');
    while (i < ts.length && ts[i].text !== close) {
      const t = ts[i];
      if (t.kind === 'op' && ['+', '-', '*', '/', '='].includes(t.text)) { i++; row.append(m('mo', t.shown)); }
      else row.append(atom());
    }
    return row;
  }
  const math = m('math', sequence(undefined));
  math.setAttribute('aria-label', text);
  return math;
}
