// Folders a walk of the workspace for the user's own files never enters: version control, caches and
// virtual environments.

export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
]);
