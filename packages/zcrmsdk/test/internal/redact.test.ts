import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, OAuthError } from '../../src/errors.js';
import { redact, redactHeaders, registerSecret } from '../../src/internal/redact.js';

describe('redaction', () => {
  it('scrubs token-shaped values, secret parameters and Authorization values', () => {
    const text =
      'POST /oauth/v2/token?client_id=1000.ABC&client_secret=s3cr3t&code=1000.0123456789abcdef0123.fedcba9876543210fedc&grant_type=authorization_code Authorization: Zoho-oauthtoken 1000.aaaabbbbccccdddd.eeeeffff00001111';
    const out = redact(text);
    assert.ok(!out.includes('s3cr3t'));
    assert.ok(!out.includes('0123456789abcdef0123'));
    assert.ok(!out.includes('aaaabbbbccccdddd'));
    assert.match(out, /client_id=1000\.ABC/);
    assert.match(out, /grant_type=authorization_code/);
  });

  it('scrubs registered secrets wherever they appear, including in error messages', () => {
    registerSecret('plain-secret-without-shape');
    assert.equal(redact('the secret is plain-secret-without-shape!'), 'the secret is [REDACTED]!');
    const error = new ConfigError('bad value plain-secret-without-shape');
    assert.ok(!error.message.includes('plain-secret-without-shape'));
    const oauth = new OAuthError('x', 'invalid_code', { description: 'code=abcdef123 rejected' });
    assert.ok(!oauth.description?.includes('abcdef123'));
  });

  it('redacts credential headers', () => {
    assert.deepEqual(redactHeaders({ Authorization: 'Zoho-oauthtoken x', 'x-custom': 'y' }), { Authorization: '[REDACTED]', 'x-custom': 'y' });
  });
});
