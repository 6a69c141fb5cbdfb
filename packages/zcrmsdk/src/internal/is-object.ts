/** A JSON object (not null, not an array): the shape of every Zoho reply and reply item. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
