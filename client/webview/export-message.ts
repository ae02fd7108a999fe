// The page's `export` message checked before anything is written: the page runs web content, so the
// extension takes nothing from it on trust. Only `svg` (SVG text) and `png` (base64 of a PNG) are
// accepted, within a size bound; anything else is refused with the reason.

/** Larger exports are refused: far beyond the picture of any net the page shows. */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;

export interface ExportRequest {
  format: 'svg' | 'png';
  data: string;
}

/** Base64 of the 8-byte PNG signature (\x89PNG\r\n\x1a\n) and what follows it. */
const PNG_BASE64_PREFIX = 'iVBORw0KGgo';

/** The export to save, or why the message is refused. */
export function checkExport(message: unknown): ExportRequest | { refused: string } {
  if (message === null || typeof message !== 'object') return { refused: 'not an object' };
  const { format, data } = message as { format?: unknown; data?: unknown };
  if (format !== 'svg' && format !== 'png')
    return { refused: `unknown export format ${JSON.stringify(format)?.slice(0, 40) ?? 'undefined'}` };
  if (typeof data !== 'string') return { refused: 'the export data is not text' };
  if (data.length > MAX_EXPORT_CHARS)
    return { refused: `the export is larger than ${MAX_EXPORT_CHARS / 1048576} MB` };
  if (format === 'svg') {
    if (!/^\s*(<\?xml[^>]*\?>\s*)?<svg[\s>]/.test(data.slice(0, 512)))
      return { refused: 'the SVG export does not start with <svg' };
    return { format, data };
  }
  if (!data.startsWith(PNG_BASE64_PREFIX) || data.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(data))
    return { refused: 'the PNG export is not base64 of a PNG image' };
  return { format, data };
}
