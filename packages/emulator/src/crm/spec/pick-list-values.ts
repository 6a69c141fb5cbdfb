/**
 * A field's pick list values (`GET /settings/fields/{field_id}/pick_list_values?module=`): the values of the
 * module's field itself, in its order, not a sample; what Zoho adds that the emulator's field metadata does
 * not keep (ids, colour codes, layout associations) is filled in from the OAS schema.
 */
import type { EmuResponse } from '../../http-types.js';
import { error, MSG } from '../responses.js';
import { reply, type SpecContext, type SpecHandler } from './context.js';

function pickListValues(ctx: SpecContext): EmuResponse {
  const store = ctx.state.store(ctx.req.query['module'] ?? '');
  if (store === undefined) return error(400, 'INVALID_MODULE', MSG.invalidModule, { param_name: 'module' });
  const field = store.def.fields.find((f) => String(f['id']) === ctx.params['field_id']);
  if (field === undefined) return error(400, 'INVALID_DATA', MSG.invalidId, { resource_path_index: 3 });
  const values = field.pick_list_values.map((v) => ({ display_value: v.display_value, actual_value: v.actual_value, sequence_number: v.sequence_number, type: v.type, reference_value: v.display_value }));
  return reply(ctx, { pick_list_values: values });
}

/** Pick-list-value operations with behaviour of their own, by operation key. */
export const PICK_LIST_VALUE_BEHAVIOURS: readonly [string, SpecHandler][] = [['pick_list_values/Get Pick List Values', pickListValues]];
