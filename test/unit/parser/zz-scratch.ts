import { createLexer } from '../../../server/src/parser/tokens';
const l = createLexer();
const r = l.tokenize('name: "a\\"b" # hi\n x: -1.5e3 @@ y { z: \'q\n } [a.b/c] 0x1F');
console.log(
  r.tokens
    .map((t) => `${t.tokenType.name}:${JSON.stringify(t.image)}@${t.startOffset}-${t.endOffset}`)
    .join('\n'),
);
console.log(r.groups, r.errors);
