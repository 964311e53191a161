// The README is a front door and the manual lives in docs/ (issue 17): every relative link between them must lead
// somewhere, a file that exists and, when it names one, a heading of that file (GitHub's anchors). Links to the web
// are not fetched.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(__dirname, '..');
const pages = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The text outside fenced code blocks and inline code, where a Markdown link is a link. */
const prose = (markdown: string) => markdown.replace(/^ *```[\s\S]*?^ *```/gm, '').replace(/`[^`\n]*`/g, '');

/** GitHub's heading anchors (github-slugger): lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of markdown.replace(/^ *```[\s\S]*?^ *```/gm, '').matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const slug = heading.replace(/`/g, '').toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

test('GitHub anchors as the slugger makes them', () => {
  assert.deepEqual([...anchorsOf('# Logs and resend: how (G7, G8)\n## Callback delivery (G1–G3, C1)\n## A\n## A\n')],
    ['logs-and-resend-how-g7-g8', 'callback-delivery-g1g3-c1', 'a', 'a-1']);
});

for (const page of pages) {
  test(`${page}: every relative link and anchor resolves`, () => {
    const text = readFileSync(path.join(root, page), 'utf8');
    const broken: string[] = [];
    for (const [, target] of prose(text).matchAll(/\]\(([^)\s]+)(?: "[^"]*")?\)/g)) {
      if (/^[a-z][a-z+.-]*:/i.test(target)) continue; // https:, mailto:
      const [file, anchor] = target.split('#') as [string, string | undefined];
      const resolved = file === '' ? path.join(root, page) : path.resolve(path.dirname(path.join(root, page)), decodeURI(file));
      if (!resolved.startsWith(root) || !existsSync(resolved)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor !== undefined && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) {
        broken.push(`${target}: no heading with that anchor in ${path.relative(root, resolved)}`);
      }
    }
    assert.deepEqual(broken, [], `${page} links to nowhere`);
  });
}

test('the README stays a front door: at most 250 lines, and it links to every page of docs/', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  assert.ok(readme.split('\n').length <= 250, `README.md has ${readme.split('\n').length} lines`);
  const linked = new Set([...prose(readme).matchAll(/\]\((docs\/[^)#\s]+)/g)].map((m) => m[1]));
  assert.deepEqual(pages.filter((p) => p.startsWith('docs/') && !linked.has(p)), [], 'pages of docs/ the README does not link to');
});

/** The project's own folders: a path under one of them named in the docs is a file that must exist. */
const CODE_ROOTS = ['api', 'notifications', 'workflows', 'activities', 'lib', 'worker', 'emulators', 'scripts', 'test', 'bench', 'deploy', 'docs', '.ci'];

test('every file of the project the docs name in code spans exists (code moves; the manual must follow)', () => {
  const missing: string[] = [];
  for (const page of pages) {
    const text = readFileSync(path.join(root, page), 'utf8');
    for (const [, file] of text.matchAll(/`((?:[\w.-]+\/)+[\w.-]+\.(?:ts|sh|cjs|json|ya?ml|toml|md))`/g)) {
      if (!CODE_ROOTS.includes(file.split('/')[0])) continue;
      if (!existsSync(path.join(root, file))) missing.push(`${page}: ${file}`);
    }
  }
  assert.deepEqual(missing, []);
});
