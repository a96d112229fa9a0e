// Paper results: docs/results rendered from the same files (the build copies them to /results/), by a
// renderer of the Markdown those files use: headings, paragraphs, lists, pipe tables, fenced code, images,
// links, `code`, **bold** and *emphasis*. It builds elements, never HTML from text.
import { el } from './api.js';

const PAGES = new Set(['README', 'identity', 'trask', 'madsen', 'primer', 'feynman', 'search-compound', 'recurrent',
  'counting', 'number-words']);
const article = document.getElementById('results');

/** A link to another results file stays in the dashboard; one elsewhere in the repository is shown as its path. */
function href(target) {
  const m = /^([a-z]+)\.md(#.*)?$/i.exec(target);
  if (m && PAGES.has(m[1])) return m[1] === 'README' ? '/results' : `/results?page=${m[1]}`;
  if (/^https?:\/\//.test(target)) return target;
  return null;
}

/** Inline Markdown: `code`, ![image](file), [link](target), **bold**, *emphasis*. */
function inline(text) {
  const out = [];
  const re = /`([^`]+)`|!\[([^\]]*)\]\(([^)]+)\)|\[([^\]]+)\]\(([^)]+)\)|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*/g;
  let last = 0;
  let m;
  while ((m = re.exec(text))) {
    out.push(text.slice(last, m.index));
    if (m[1] !== undefined) out.push(el('code', {}, m[1]));
    else if (m[2] !== undefined) out.push(el('img', { src: `/results/${m[3]}`, alt: m[2] }));
    else if (m[4] !== undefined) {
      const target = href(m[5]);
      out.push(target ? el('a', { href: target }, ...inline(m[4])) : el('span', { title: m[5] }, ...inline(m[4])));
    } else if (m[6] !== undefined) out.push(el('strong', {}, ...inline(m[6])));
    else out.push(el('em', {}, ...inline(m[7])));
    last = re.lastIndex;
  }
  out.push(text.slice(last));
  return out;
}

function cells(line) {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map(c => c.trim());
}

export function render(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) { i++; continue; }
    if (line.startsWith('```')) {
      const code = [];
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) code.push(lines[i]);
      i++;
      blocks.push(el('pre', {}, el('code', {}, code.join('\n'))));
    } else if (/^#{1,6} /.test(line)) {
      const level = line.indexOf(' ');
      blocks.push(el(`h${level}`, {}, ...inline(line.slice(level + 1))));
      i++;
    } else if (line.startsWith('|') && i + 1 < lines.length && /^\|[\s:|-]+\|?\s*$/.test(lines[i + 1])) {
      const head = cells(line);
      const rows = [];
      for (i += 2; i < lines.length && lines[i].startsWith('|'); i++) rows.push(cells(lines[i]));
      blocks.push(el('div', { class: 'scroll' }, el('table', {},
        el('thead', {}, el('tr', {}, head.map(h => el('th', { scope: 'col' }, ...inline(h))))),
        el('tbody', {}, rows.map(r => el('tr', {}, r.map(c => el('td', {}, ...inline(c)))))))));
    } else if (/^\s*([-*]|\d+\.) /.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items = [];
      while (i < lines.length && lines[i].trim() && (/^\s*([-*]|\d+\.) /.test(lines[i]) || /^\s+\S/.test(lines[i]))) {
        if (/^\s*([-*]|\d+\.) /.test(lines[i])) items.push(lines[i].replace(/^\s*([-*]|\d+\.) /, ''));
        else items[items.length - 1] += ' ' + lines[i].trim();
        i++;
      }
      blocks.push(el(ordered ? 'ol' : 'ul', {}, items.map(t => el('li', {}, ...inline(t)))));
    } else {
      const text = [];
      while (i < lines.length && lines[i].trim() && !/^(#{1,6} |```|\|)/.test(lines[i]) && !/^\s*([-*]|\d+\.) /.test(lines[i])) {
        text.push(lines[i].trim());
        i++;
      }
      blocks.push(el('p', {}, ...inline(text.join(' '))));
    }
  }
  return blocks;
}

const page = new URLSearchParams(location.search).get('page') || 'README';
if (!PAGES.has(page)) {
  document.getElementById('results-error').textContent = `No results page "${page}".`;
} else {
  fetch(`/results/${page}.md`).then(async response => {
    if (!response.ok) throw new Error(`${page}.md: HTTP ${response.status}`);
    article.replaceChildren(...render(await response.text()));
  }).catch(e => { document.getElementById('results-error').textContent = e.message; });
}
