/** Operations with behaviour of their own (beyond the generic collection), by operation key. */
import type { SpecHandler } from './context.js';
import { CONTACT_ROLE_BEHAVIOURS } from './contact-role-behaviours.js';
import { CURRENCY_BEHAVIOURS } from './currency-behaviours.js';
import { DEAL_CONTACT_ROLE_BEHAVIOURS } from './deal-contact-role-behaviours.js';
import { EMAIL_BEHAVIOURS } from './email-behaviours.js';
import { EMAIL_COMPOSE_BEHAVIOURS } from './email-compose-behaviours.js';
import { FILE_BEHAVIOURS } from './file-behaviours.js';
import { INVENTORY_CONVERT_BEHAVIOURS } from './inventory-convert-behaviours.js';
import { MASS_CONVERT_BEHAVIOURS } from './mass-convert-behaviours.js';
import { PICK_LIST_VALUE_BEHAVIOURS } from './pick-list-values.js';
import { PORTAL_USER_STATUS_BEHAVIOURS } from './portal-user-status.js';
import { RECORD_BEHAVIOURS } from './record-behaviours.js';
import { RELATED_COUNT_BEHAVIOURS } from './related-count-behaviours.js';
import { SHARE_BEHAVIOURS } from './share-behaviours.js';
import { SHARING_RULE_BEHAVIOURS } from './sharing-rules.js';
import { SIGNAL_BEHAVIOURS } from './signal-behaviours.js';
import { TAX_BEHAVIOURS } from './tax-behaviours.js';
import { TAG_MASS_DELETE_BEHAVIOURS } from './tag-mass-delete.js';
import { TERRITORY_USER_BEHAVIOURS } from './territory-users.js';
import { USER_TERRITORY_BEHAVIOURS } from './user-territories.js';
import { USER_TRANSFER_DELETE_BEHAVIOURS } from './user-transfer-delete.js';
import { WEBFORM_BEHAVIOURS } from './webform-behaviours.js';

export const BEHAVIOURS: ReadonlyMap<string, SpecHandler> = new Map<string, SpecHandler>([
  ...RECORD_BEHAVIOURS,
  ...FILE_BEHAVIOURS,
  ...CURRENCY_BEHAVIOURS,
  ...MASS_CONVERT_BEHAVIOURS,
  ...INVENTORY_CONVERT_BEHAVIOURS,
  ...SHARING_RULE_BEHAVIOURS,
  ...SHARE_BEHAVIOURS,
  ...RELATED_COUNT_BEHAVIOURS,
  ...EMAIL_COMPOSE_BEHAVIOURS,
  ...EMAIL_BEHAVIOURS,
  ...CONTACT_ROLE_BEHAVIOURS,
  ...PICK_LIST_VALUE_BEHAVIOURS,
  ...TERRITORY_USER_BEHAVIOURS,
  ...PORTAL_USER_STATUS_BEHAVIOURS,
  ...USER_TERRITORY_BEHAVIOURS,
  ...USER_TRANSFER_DELETE_BEHAVIOURS,
  ...DEAL_CONTACT_ROLE_BEHAVIOURS,
  ...TAX_BEHAVIOURS,
  ...SIGNAL_BEHAVIOURS,
  ...WEBFORM_BEHAVIOURS,
  ...TAG_MASS_DELETE_BEHAVIOURS,
]);
