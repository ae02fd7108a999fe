// `caffe-prototxt check [--schema FILE] [--format text|json] PATH...`: validates prototxt files
// against their caffe.proto (given, discovered beside them, or the bundled BVLC schema).

import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../analysis/analyze';
import { capDiagnostics, DEFAULT_MAX_DIAGNOSTICS } from '../../analysis/diagnostic-cap';
import { parse } from '../../parser/parse';
import { SchemaProvider, type SchemaForDocument } from '../../workspace/schema-provider';
import { formatText, toCliDiagnostics, type FileReport } from '../format';
import type { CliCommand, CliIo } from '../io';
import { collectFiles } from '../walk';

const USAGE = `Usage: caffe-prototxt check [--schema FILE] [--format text|json] [--allow-layer-type TYPE]... [--max-diagnostics N] PATH...

Checks Caffe prototxt files (nets, solvers, label maps) against caffe.proto. Folders are walked for
*.prototxt, *.pt and solver files without an extension (node_modules and .git are skipped).

Options:
  --schema FILE            check against this caffe.proto (default: the nearest caffe.proto found
                           under the given paths, else the bundled BVLC schema)
  --format text|json       text: path:line:col: severity: message [code] (default);
                           json: one array of { path, diagnostics: [...] }, 1-based positions
  --allow-layer-type TYPE  accept a layer type registered by a plugin (repeatable)
  --max-diagnostics N      list at most N diagnostics per file and one that counts the rest, as the
                           editor does (default: ${DEFAULT_MAX_DIAGNOSTICS}; 0 lists all)
  -h, --help               show this text

Exit status: 1 when any error was reported, 0 otherwise, 2 on bad usage.
`;

interface CheckArgs {
  schema?: string;
  format: 'text' | 'json';
  allow: string[];
  paths: string[];
  maxDiagnostics: number;
}

function parseArgs(args: readonly string[]): CheckArgs | { help: true } | { problem: string } {
  const out: CheckArgs = { format: 'text', allow: [], paths: [], maxDiagnostics: DEFAULT_MAX_DIAGNOSTICS };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (flag === '-h' || flag === '--help') return { help: true };
    if (flag === '--schema') {
      const v = value();
      if (v === undefined || v === '') return { problem: '--schema needs a file' };
      out.schema = v;
    } else if (flag === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'json')
        return { problem: `--format must be text or json, not ${v ?? 'nothing'}` };
      out.format = v;
    } else if (flag === '--allow-layer-type') {
      const v = value();
      if (v === undefined || v === '') return { problem: '--allow-layer-type needs a type' };
      out.allow.push(v);
    } else if (flag === '--max-diagnostics') {
      const v = value();
      if (v === undefined || !/^\d{1,9}$/.test(v))
        return { problem: `--max-diagnostics needs a whole number (0 for all), not ${v ?? 'nothing'}` };
      out.maxDiagnostics = Number(v);
    } else if (flag === '--') {
      out.paths.push(...args.slice(i + 1));
      break;
    } else if (flag.startsWith('-') && flag !== '-') return { problem: `unknown option ${flag}` };
    else out.paths.push(arg);
  }
  if (out.paths.length === 0) return { problem: 'no PATH given' };
  return out;
}

export const checkCommand: CliCommand = {
  summary: 'check prototxt files against caffe.proto',
  usage: USAGE,
  run(argv: readonly string[], io: CliIo): number {
    const args = parseArgs(argv);
    if ('help' in args) {
      io.stdout(USAGE);
      return 0;
    }
    if ('problem' in args) {
      io.stderr(`caffe-prototxt check: ${args.problem}\n\n${USAGE}`);
      return 2;
    }
    const { files, missing } = collectFiles(args.paths, io.cwd);
    if (missing.length > 0) {
      io.stderr(`caffe-prototxt check: no such file or folder: ${missing.join(', ')}\n`);
      return 2;
    }
    const schemaFor = chooseSchemas(args, io);
    if (typeof schemaFor === 'string') {
      io.stderr(`caffe-prototxt check: ${schemaFor}\n`);
      return 2;
    }
    const reports: FileReport[] = [];
    const shownProblems = new Set<string>();
    let errors = 0;
    for (const file of files) {
      const absolute = path.resolve(io.cwd, file);
      let text: string;
      try {
        text = fs.readFileSync(absolute, 'utf8');
      } catch (error) {
        io.stderr(`${file}: cannot read: ${(error as Error).message}\n`);
        errors++;
        continue;
      }
      const choice = schemaFor(absolute);
      for (const problem of choice.problems) {
        if (!shownProblems.has(problem)) io.stderr(`caffe-prototxt check: ${problem}\n`);
        shownProblems.add(problem);
      }
      const analysis = analyze(text, parse(text), {
        schema: choice.schema,
        schemaKind: choice.kind,
        forks: choice.forks,
        allowLayerTypes: args.allow,
      });
      const shown = capDiagnostics(analysis.diagnostics, args.maxDiagnostics);
      const report = { path: file, diagnostics: toCliDiagnostics(text, shown) };
      errors += analysis.diagnostics.filter((d) => d.severity === 'error').length;
      if (args.format === 'text') io.stdout(formatText(report));
      reports.push(report);
    }
    if (args.format === 'json') io.stdout(JSON.stringify(reports, null, 2) + '\n');
    return errors > 0 ? 1 : 0;
  },
};

/** One schema for every file (--schema) or the provider's choice per file; a string is a usage problem. */
function chooseSchemas(args: CheckArgs, io: CliIo): ((file: string) => SchemaForDocument) | string {
  if (args.schema !== undefined) {
    const file = path.resolve(io.cwd, args.schema);
    const provider = new SchemaProvider({ paths: [file], autoDiscover: false }, [io.cwd]);
    const choice = provider.schemaFor(file);
    if (choice.origin !== 'configured')
      return `cannot use --schema ${args.schema}: ${choice.problems.join('; ')}`;
    return () => choice;
  }
  const roots = args.paths.map((p) => {
    const absolute = path.resolve(io.cwd, p);
    return fs.statSync(absolute).isDirectory() ? absolute : path.dirname(absolute);
  });
  const provider = new SchemaProvider({ paths: [], autoDiscover: true }, [...new Set(roots)]);
  return (file) => provider.schemaFor(file);
}
