/**
 * A record's emails (email-behaviours.ts): a record starts with one email whose attachment and inline image
 * download; downloads refuse what names no file of the email; associate_email refuses an attachment that is not
 * in Zoho's file system, keeps what it adds (listed for its owner only), and a snapshot keeps the emails and their files.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CrmState } from '../../src/crm/index.js';
import { call, FIXED_NOW, makeState } from './helpers.js';

type Email = { message_id: string; subject: string; content: string; attachments: { id: string; name: string }[] };

describe("a record's emails", () => {
  const setup = () => {
    const s = makeState({ emptyModules: true });
    const [lead] = s.insert('Leads', [{ Last_Name: 'Ames', Company: 'Ames Co', Email: 'ames@example.com' }]);
    const base = `/crm/v8/Leads/${String(lead?.['id'])}`;
    const emails = async (state = s): Promise<Email[]> => {
      const r = await call(state, 'GET', `${base}/Emails?owner_id=${state.currentUserId}`);
      assert.equal(r.status, 200, JSON.stringify(r.data));
      return (r.data as { Emails: Email[] }).Emails;
    };
    return { s, base, emails, user: s.currentUserId };
  };

  it('refuses downloads that name no file of the email (or no file at all), and downloads the one it names', async () => {
    const { s, base, emails, user } = setup();
    const [email] = await emails();
    assert.ok(email !== undefined);
    const image = /img_id="([^"]+)"/.exec(email.content)?.[1] ?? '';
    const attachment = email.attachments[0];
    const attachments = `${base}/Emails/actions/download_attachments?user_id=${user}`;
    const inline = `${base}/Emails/actions/download_inline_images?user_id=${user}`;
    const cases: [string, string, string][] = [
      [`${attachments}&message_id=nope&id=${attachment?.id}&name=x`, 'INVALID_DATA', 'message_id'],
      [`${attachments}&message_id=${email.message_id}&id=${image}&name=x`, 'INVALID_DATA', 'id'],
      [`${inline}&message_id=${email.message_id}&id=${attachment?.id}`, 'INVALID_DATA', 'id'],
      // Zoho documents only INVALID_DATA here, for a missing parameter too.
      [`${inline}&message_id=${email.message_id}`, 'INVALID_DATA', 'id'],
      [`/crm/v8/Leads/999/Emails/actions/download_inline_images?user_id=${user}&message_id=${email.message_id}&id=${image}`, 'INVALID_DATA', 'record_id'],
    ];
    for (const [path, code, param] of cases) {
      const r = await call(s, 'GET', path);
      assert.equal(r.status, 400, path);
      assert.deepEqual([r.data.code, r.data.details.param_name], [code, param], path);
    }
    const ok = await call(s, 'GET', `${attachments}&message_id=${email.message_id}&id=${attachment?.id}&name=${attachment?.name}`);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers?.['Content-Disposition'], `attachment;filename*=UTF-8''${attachment?.name}`);
  });

  it('associates an email whose attachments are files, refuses an unknown file id, and a snapshot keeps both', async () => {
    const { s, base, emails } = setup();
    const upload = await call(s, 'POST', '/crm/v8/files', { files: [{ field: 'file', filename: 'terms.txt', contentType: 'text/plain', data: Buffer.from('terms') }] });
    const fileId = String(upload.data.data[0].details.id);
    const email = (attachments: unknown[]) => ({
      from: { user_name: 'Charles', email: 'charles@zoho.com' },
      to: [{ user_name: 'Patrick', email: 'patrick@zoho.com' }],
      subject: 'Terms',
      original_message_id: '<terms@mail.example>',
      sent: false,
      date_time: '2026-03-01T10:00:00+05:30',
      linked_record: { module: { api_name: 'Leads', id: '1' }, id: '1' },
      attachments,
    });
    const r = await call(s, 'POST', `${base}/actions/associate_email`, { body: { Emails: [email([{ id: fileId }]), email([{ id: 'unknown' }])] } });
    assert.equal(r.status, 207, JSON.stringify(r.data));
    const [added, refused] = r.data.Emails;
    assert.equal(added.code, 'SUCCESS');
    assert.deepEqual([refused.code, refused.details.json_path], ['INVALID_DATA', '$.Emails[1].attachments[0].id']);
    const listed = (await emails()).find((e) => e.message_id === added.details.message_id);
    assert.deepEqual(listed?.attachments.map((a) => a.name), ['terms.txt']);
    assert.equal((await emails()).length, 2);
    // The emails are their owner's: another user's listing has none; one is read by its message id.
    assert.equal((await call(s, 'GET', `${base}/Emails?owner_id=1`)).status, 204);
    const one = await call(s, 'GET', `${base}/Emails/${String(added.details.message_id)}?owner_id=${s.currentUserId}`);
    assert.deepEqual(one.data.Emails.map((e: Email) => e.subject), ['Terms']);

    const restored = CrmState.restore(JSON.parse(JSON.stringify(s.snapshot())), { seed: 7, now: () => FIXED_NOW });
    assert.deepEqual(await emails(restored), await emails());
    const got = await call(restored, 'GET', `${base}/Emails/actions/download_attachments?user_id=${s.currentUserId}&message_id=${added.details.message_id}&id=${fileId}&name=terms.txt`);
    assert.equal(got.body?.toString(), 'terms');
  });
});
