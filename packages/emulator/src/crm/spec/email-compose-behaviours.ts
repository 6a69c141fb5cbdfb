/**
 * Email composer settings (`PUT /crm/email/v8/settings/compose`): stored as the generic collection stores a
 * settings list, answered as Zoho's SDKs read it, one flat `email_compose` list of SUCCESS items naming the
 * settings type. The OAS nests that list in another array, which left `{"email_compose":[[]]}` on the wire.
 */
import { success } from '../responses.js';
import { isObj, type SpecHandler } from './context.js';
import { genericHandler } from './generic.js';

const KEY = 'email_compose';

/** The settings type a write names (`default` when it names none). */
function typeOf(body: unknown): string {
  const first = isObj(body) && Array.isArray(body[KEY]) ? (body[KEY] as unknown[])[0] : undefined;
  return isObj(first) && typeof first['type'] === 'string' ? first['type'] : 'default';
}

const updateCompose: SpecHandler = (ctx) => {
  const stored = genericHandler(ctx);
  if (stored.status !== 200) return stored;
  return { status: 200, json: { [KEY]: [success('Email composer settings updated successfully', { type: typeOf(ctx.req.json) })] } };
};

export const EMAIL_COMPOSE_BEHAVIOURS: [string, SpecHandler][] = [['email_compose/Update Email composer default settings', updateCompose]];
