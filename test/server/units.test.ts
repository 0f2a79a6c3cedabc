// Pure pieces: validation rules and the proto-loader options' twin.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { loaderOptions } from '../../protos/load.js';
import { checkRoom, checkUsername, sanitizeText } from '../../server/validate.js';
import { repoPath } from '../paths.js';

describe('validate', () => {
  it('trims usernames and counts characters, not bytes', () => {
    assert.deepEqual(checkUsername('  Zoë  '), { ok: true, value: 'Zoë' });
    assert.equal(checkUsername('é'.repeat(32)).ok, true);
    assert.equal(checkUsername('é'.repeat(33)).ok, false);
    assert.equal(checkUsername('tab\tname').ok, false);
  });

  it('accepts unicode letters and digits in room names', () => {
    assert.deepEqual(checkRoom('#café-2'), { ok: true, value: 'café-2' });
    assert.equal(checkRoom('a/b').ok, false);
  });

  it('removes escape sequences whole, keeping newline and tab', () => {
    assert.equal(sanitizeText('a\u001b[1;31mb\u001b(Bc\td\ne'), 'abc\td\ne');
    assert.equal(sanitizeText('x\u001bP1$r\u001b\\y'), 'xy');
  });
});

describe('proto options', () => {
  it('the runtime loader and the type generator use the same options', async () => {
    // The generator's options are a plain .mjs beside it, read where it stands.
    const options = pathToFileURL(repoPath('scripts/proto-options.mjs')).href;
    const { genTypeArgs } = (await import(options)) as { genTypeArgs: string[] };
    const fromArgs = {
      keepCase: genTypeArgs.includes('--keepCase'),
      longs: genTypeArgs.includes('--longs=Number') ? Number : String,
      enums: genTypeArgs.includes('--enums=String') ? String : Number,
      defaults: genTypeArgs.includes('--defaults'),
      oneofs: genTypeArgs.includes('--oneofs'),
    };
    assert.deepEqual(fromArgs, loaderOptions);
  });
});
