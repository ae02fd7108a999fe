import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkExport, MAX_EXPORT_CHARS } from '../../../../client/webview/export-message';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString('base64');

test('SVG text and base64 PNG data are accepted', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>';
  assert.deepEqual(checkExport({ type: 'export', format: 'svg', data: svg }), { format: 'svg', data: svg });
  assert.deepEqual(checkExport({ type: 'export', format: 'svg', data: `<?xml version="1.0"?>\n${svg}` }), {
    format: 'svg',
    data: `<?xml version="1.0"?>\n${svg}`,
  });
  assert.deepEqual(checkExport({ type: 'export', format: 'png', data: PNG }), { format: 'png', data: PNG });
});

test('any other format, data that is not what the format says, or too much data is refused', () => {
  const refused = (m: unknown) => {
    const r = checkExport(m);
    return 'refused' in r ? r.refused : undefined;
  };
  assert.match(refused({ format: 'exe', data: 'TVqQ' })!, /unknown export format "exe"/);
  assert.match(refused({ format: '../x.svg', data: '<svg>' })!, /unknown export format/);
  assert.match(refused({ format: 'png', data: 'TVqQAAMAAAAEAAAA' })!, /not base64 of a PNG/);
  assert.match(refused({ format: 'png', data: `${PNG}!` })!, /not base64 of a PNG/);
  assert.match(refused({ format: 'svg', data: '<script>alert(1)</script>' })!, /does not start with <svg/);
  assert.match(refused({ format: 'svg', data: 42 })!, /not text/);
  assert.match(refused(null)!, /not an object/);
  assert.match(
    refused({ format: 'svg', data: `<svg>${' '.repeat(MAX_EXPORT_CHARS)}` })!,
    /larger than 64 MB/,
  );
});
