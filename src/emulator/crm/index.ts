/**
 * The emulator's CRM side: `CrmState` (records, metadata and side stores) and `handleCrm`, which the HTTP
 * server calls with each parsed, authenticated request under `/crm/{version}/` and `/crm/bulk/{version}/`.
 */
export { CrmState, type CrmStateOptions, type FunctionHandler } from './state.js';
export { handleCrm } from './router.js';
