/**
 * Search-records matching (wire spec §5.8, §6) on the shared criteria engine: `criteria` first, then the
 * `email`, `phone` and `word` shortcuts; v2 accepts only equals / starts_with, v2.1+ every operator.
 */
import { CriteriaError, matchCriteria, matchesEmail, matchesPhone, matchesWord, operatorsForVersion, parseCriteria, validateCriteriaFields } from '../criteria.js';
import type { CrmRequest, EmuResponse } from '../http-types.js';
import type { CrmRecord } from '../seed/types.js';
import { error, paramMissing, versionNumber } from './responses.js';
import type { ModuleStore } from './store-types.js';

export type RecordMatcher = (r: CrmRecord) => boolean;

/** The matcher a search request asks for, or its Zoho error (INVALID_QUERY, LIMIT_EXCEEDED, REQUIRED_PARAM_MISSING). */
export function searchMatcher(store: ModuleStore, req: CrmRequest): RecordMatcher | EmuResponse {
  const q = req.query;
  const fields = store.def.fields;
  const given = (name: string): string | undefined => (q[name] !== undefined && q[name] !== '' ? q[name] : undefined);
  const criteria = given('criteria');
  if (criteria !== undefined) {
    try {
      const node = parseCriteria(criteria, { allowed: operatorsForVersion(versionNumber(req.version)) });
      validateCriteriaFields(node, fields);
      return (r) => matchCriteria(node, r, fields);
    } catch (e) {
      if (e instanceof CriteriaError) return error(400, e.code, e.message, e.details);
      throw e;
    }
  }
  const email = given('email');
  if (email !== undefined) return (r) => matchesEmail(r, fields, email);
  const phone = given('phone');
  if (phone !== undefined) return (r) => matchesPhone(r, fields, phone);
  const word = given('word');
  if (word !== undefined) return (r) => matchesWord(r, fields, word);
  return paramMissing('criteria');
}
