/** Lead conversion (wire spec §5.9): a contact, an account and optionally a deal from a lead, across stores. */
import type { CrmRecord } from '../seed/types.js';
import { formatZohoDateTime } from '../time.js';
import { isWritable, lookupId, LOOKUP_TYPES } from './fields.js';
import { errorBody, MSG } from './responses.js';
import type { CrmState } from './state.js';
import type { ModuleStore } from './store-types.js';
import { isObject, type ItemFailure } from './stores/records.js';

/** The new/used record ids, and the user who owns the new records. */
export type ConvertOutcome = { ok: true; Contacts: string; Accounts: string | null; Deals: string | null; ownerId: string } | ({ ok: false } & ItemFailure);

/** Converts a lead; returns the new/used ids or a failure. */
export function convertLead(state: CrmState, lead: CrmRecord, options: Record<string, unknown>, userId: string): ConvertOutcome {
  const records = state.recordStore;
  const leads = state.requireStore('Leads');
  const contacts = state.requireStore('Contacts');
  const accounts = state.requireStore('Accounts');
  const deals = state.requireStore('Deals');
  const owner = lookupId(options['assign_to']) ?? (isObject(lead['Owner']) ? String(lead['Owner']['id']) : userId);
  if (state.user(owner) === undefined) {
    return { ok: false, error: errorBody('INVALID_DATA', MSG.invalidId, { api_name: 'assign_to', id: owner }), key: 'assign_to' };
  }
  const ownerRef = state.userRef(owner);
  // Account: given id, else an existing account with the lead's Company name, else a new one.
  let accountId: string | null = null;
  const givenAccount = lookupId(options['Accounts']);
  if (givenAccount !== undefined) {
    if (!accounts.records.has(givenAccount)) {
      return { ok: false, error: errorBody('INVALID_DATA', MSG.invalidId, { api_name: 'Accounts', id: givenAccount }), key: 'Accounts' };
    }
    accountId = givenAccount;
  } else if (typeof lead['Company'] === 'string' && lead['Company'] !== '') {
    const found = records.findBy(accounts, 'Account_Name', lead['Company']);
    const values = { Account_Name: lead['Company'], Owner: ownerRef, ...carry(lead, accounts, ['Phone', 'Website', 'Fax', 'Industry', 'Annual_Revenue']) };
    accountId = found?.id ?? records.insertTrusted(accounts, values, userId).id;
  }
  // Contact: given id (optionally overwritten), else a new one from the lead's matching fields.
  let contactId: string;
  const givenContact = lookupId(options['Contacts']);
  const contactValues = carry(lead, contacts, [...contacts.fields.keys()]);
  delete contactValues['Owner'];
  if (accountId !== null && contacts.fields.has('Account_Name')) contactValues['Account_Name'] = records.recordRef(accountId);
  if (givenContact !== undefined) {
    const existing = contacts.records.get(givenContact);
    if (existing === undefined) {
      return { ok: false, error: errorBody('INVALID_DATA', MSG.invalidId, { api_name: 'Contacts', id: givenContact }), key: 'Contacts' };
    }
    if (options['overwrite'] === true) records.overwrite(contacts, existing, contactValues, userId);
    contactId = givenContact;
  } else {
    contactId = records.insertTrusted(contacts, { ...contactValues, Owner: ownerRef }, userId).id;
  }
  // Deal, only when asked for.
  let dealId: string | null = null;
  if (isObject(options['Deals'])) {
    const dealInput: Record<string, unknown> = { ...options['Deals'], Owner: { id: owner } };
    if (accountId !== null && deals.fields.has('Account_Name')) dealInput['Account_Name'] = { id: accountId };
    if (deals.fields.has('Contact_Name')) dealInput['Contact_Name'] = { id: contactId };
    const out = records.insert(deals, dealInput, userId);
    if (!out.ok) return { ok: false, error: out.error, ...(out.key === undefined ? {} : { key: `Deals.${out.key}` }) };
    dealId = out.record.id;
  }
  const detail = {
    contact: contactId,
    account: accountId,
    deal: dealId,
    converted_by: state.userRef(userId, false),
    convert_date: formatZohoDateTime(state.options.now(), state.offset).slice(0, 10),
  };
  records.overwrite(leads, lead, { $converted: true, $converted_detail: detail }, userId);
  // Notes and attachments follow the lead to the contact.
  const contactRef = records.recordRef(contactId);
  records.reparentNotes(lead.id, 'Contacts', contactRef);
  if (contactRef !== undefined) state.attachments.reparent(lead.id, 'Contacts', contactRef);
  return { ok: true, Contacts: contactId, Accounts: accountId, Deals: dealId, ownerId: owner };
}

/** Copies the named fields that exist in the target module and are writable there. */
function carry(source: Record<string, unknown>, target: ModuleStore, names: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of names) {
    const f = target.fields.get(n);
    const v = source[n];
    if (f === undefined || !isWritable(f) || v === undefined || v === null) continue;
    if (LOOKUP_TYPES.has(f.data_type) && f.data_type === 'lookup') continue;
    out[n] = v;
  }
  return out;
}
