// Python str.format templates of nets (a `{{` for each `{` the filled-in file has): read as format
// leaves them, so that their blocks are checked and only their `{name}` fields are told.

/**
 * A Python str.format template (AOD-Net's test_template.prototxt, filled in by
 * `template.format(height=h, width=w)`): its blocks open with `{{` at the end of a line, outside
 * comments and strings, and none with a lone `{`. Text format has no `{{` (a block follows a field
 * name), so a valid file never is one; a file with one `{{` slip among its blocks is not one either.
 */
export function isFormatTemplate(text: string): boolean {
  return (
    text.includes('{{') &&
    /^[^#"'\n]*\{\{[ \t]*\r?$/m.test(text) &&
    !/^[^#"'\n]*[^{\n]\{[ \t]*\r?$/m.test(text)
  );
}

/**
 * The text as str.format leaves its escapes, `{{` and `}}` each one brace, padded with a space so that
 * every offset stays where it was; `{name}` fields are left to be told as template placeholders.
 */
export function formatBraces(text: string): string {
  return text.replace(/\{\{|\}\}/g, (pair) => `${pair[0]} `);
}
