// Issue 17: the import rules of the project's own files (those tsconfig.json compiles, and the files they reach):
// no file imports itself through others (a cycle), and the HTTP layer and the notification services are imported
// only from above them (activities never import api/); providers/ imports nothing of the project but itself. Lists every breach and exits 1 when there is one.
// Type-only imports count: a file that needs another's types depends on its contract as much as on its code, and a
// cycle through types is the same tangle (it only does not show at runtime).
//   node --import tsx scripts/importRules.ts   (npm test runs it)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '..');

/** Who may import a folder's files beside its own: what sits below it (workflows, lib, the worker…) may not. */
const IMPORTED_ONLY_FROM: Record<string, string[]> = {
  'api/': ['scripts/', 'bench/', 'test/'],
  'notifications/': ['api/', 'activities/', 'test/'],
};

/**
 * Folders whose files import only each other (and packages): a provider is a pure record the workflow bundle, the
 * API and the services all read, so it can reach nothing of theirs.
 */
const SELF_CONTAINED = ['providers/'];

/** The files tsconfig.json compiles, by path from the root. */
function projectFiles(): string[] {
  const configFile = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  return parsed.fileNames.map((f) => path.relative(root, f)).sort();
}

/** What a relative specifier names: the file itself, or with .ts or .tsx (a page), or the folder's index.ts. */
function resolve(from: string, specifier: string): string | undefined {
  const base = path.join(path.dirname(from), specifier);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')];
  return candidates.find((p) => /\.tsx?$/.test(p) && existsSync(path.join(root, p)));
}

/** The project files one file imports or re-exports from (statically, or by a literal dynamic import). */
function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(root, file), 'utf8'), ts.ScriptTarget.Latest);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier
      && ts.isStringLiteral(node.moduleSpecifier)) specifiers.push(node.moduleSpecifier.text);
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword
      && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) specifiers.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  const files = specifiers.filter((s) => s.startsWith('.')).map((s) => resolve(file, s));
  return [...new Set(files.filter((f) => f !== undefined))];
}

/**
 * Every elementary cycle once, written from its smallest file: from each file, the paths through larger files only
 * that lead back to it.
 */
function cyclesOf(graph: Map<string, string[]>): string[] {
  const cycles: string[] = [];
  for (const start of [...graph.keys()].sort()) {
    const walk = (file: string, trail: string[]): void => {
      for (const next of graph.get(file) ?? []) {
        if (next === start) cycles.push([...trail, start].join(' -> '));
        else if (next > start && !trail.includes(next)) walk(next, [...trail, next]);
      }
    };
    walk(start, [start]);
  }
  return cycles.sort();
}

/** Each file's imports, from tsconfig's files on to every project file they reach (one tsconfig forgot, too). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = projectFiles();
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (graph.has(file)) continue;
    graph.set(file, importsOf(file));
    pending.push(...graph.get(file)!);
  }
  return graph;
}

/** Each import into a folder of IMPORTED_ONLY_FROM from a file not allowed to, as `importer -> imported`. */
function importsFromBelow(graph: Map<string, string[]>): string[] {
  const allowed = (file: string, folder: string) =>
    [folder, ...IMPORTED_ONLY_FROM[folder]].some((above) => file.startsWith(above));
  return [...graph].flatMap(([file, imports]) => imports
    .filter((imported) => Object.keys(IMPORTED_ONLY_FROM).some((f) => imported.startsWith(f) && !allowed(file, f)))
    .map((imported) => `${file} -> ${imported}`));
}

/** Each import out of a SELF_CONTAINED folder into another project folder, as `importer -> imported`. */
function importsOutOfSelfContained(graph: Map<string, string[]>): string[] {
  return [...graph].flatMap(([file, imports]) => SELF_CONTAINED.filter((folder) => file.startsWith(folder))
    .flatMap((folder) => imports.filter((imported) => !imported.startsWith(folder)).map((imported) => `${file} -> ${imported}`)));
}

function main(): number {
  const graph = importGraph();
  const cycles = cyclesOf(graph);
  const fromBelow = importsFromBelow(graph);
  const outOfSelfContained = importsOutOfSelfContained(graph);
  for (const c of cycles) console.error(`import cycle: ${c}`);
  for (const i of fromBelow) console.error(`import from below: ${i}`);
  for (const i of outOfSelfContained) console.error(`import out of a self-contained folder: ${i}`);
  console.log(`import cycles: ${cycles.length}; imports from below: ${fromBelow.length}; `
    + `imports out of self-contained folders: ${outOfSelfContained.length}`);
  return cycles.length + fromBelow.length + outOfSelfContained.length > 0 ? 1 : 0;
}

process.exitCode = main();
