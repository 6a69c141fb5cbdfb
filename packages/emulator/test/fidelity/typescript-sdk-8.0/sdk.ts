/**
 * What every step module of the @zohocrm/typescript-sdk-8.0 driver shares: the SDK itself, and the small
 * readers that turn what the SDK hands back into plain JSON for the test process.
 */

// The SDK is driven as its README does; its classes are used dynamically here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Sdk = any;
export const Z = require('@zohocrm/typescript-sdk-8.0') as Sdk;

/** A step's arguments, as the test process sent them over IPC. */
export type Args = Record<string, string | number | boolean | undefined>;
/** A step's answer: plain JSON (BigInt ids become strings on the way out). */
export type Reply = Record<string, unknown>;
/** A step module exports one record of these, keyed by step name. */
export type Steps = Record<string, (a: Args) => Promise<Reply>>;

/** What an APIResponse holds: status, and either the expected class's data or Zoho's error fields. */
export function outcome(response: Sdk, expected: Sdk): Reply {
  if (response === null || response === undefined) return { status: null };
  const status = response.getStatusCode();
  const object = response.getObject();
  if (object === null || object === undefined) return { status };
  if (object instanceof expected) return { status, ok: true, object };
  const code = object.getCode?.()?.getValue?.();
  const details = object.getDetails?.();
  return {
    status,
    ok: false,
    class: object.constructor?.name,
    code,
    message: object.getMessage?.(),
    details: details instanceof Map ? Object.fromEntries(details) : details,
  };
}

/** An outcome without the SDK object (which does not cross IPC). */
export function strip(r: Reply): Reply {
  const { object: _object, ...rest } = r;
  return rest;
}

/**
 * Awaits an SDK call and, when the SDK parsed the reply into `expected`, answers `{ status, ok: true, ...pick(object) }`;
 * otherwise the status and Zoho's error fields (class, code, message, details), so a test's failure message shows them.
 */
export async function expectClass(call: Promise<Sdk>, expected: Sdk, pick: (object: Sdk) => Reply | Promise<Reply>): Promise<Reply> {
  const r = outcome(await call, expected);
  if (r['ok'] !== true) return strip(r);
  return { status: r['status'], ok: true, ...(await pick(r['object'])) };
}

/** The SDK's Choice values (and plain values) as JSON. */
export function choice(value: Sdk): unknown {
  return value?.getValue?.() ?? value ?? null;
}

/** An action item (SuccessResponse or error): its class, code, message and details, with `id` when the details have one. */
export function actionResult(item: Sdk): Reply {
  const details = item?.getDetails?.();
  const map = details instanceof Map ? Object.fromEntries(details) : {};
  return {
    itemClass: item?.constructor?.name,
    code: item?.getCode?.()?.getValue?.(),
    message: choice(item?.getMessage?.()),
    id: map['id'] === undefined ? undefined : String(map['id']),
    details: Object.fromEntries(Object.entries(map).map(([k, v]) => [k, typeof v === 'bigint' ? String(v) : v])),
  };
}

/** The first action item of an ActionWrapper-like object (`getData()`). */
export function actionItem(wrapper: Sdk): Reply {
  return actionResult(wrapper.getData()[0]);
}

/** A ParameterMap (or HeaderMap with `map`) from [param, value] pairs, skipping undefined values. */
export async function params(pairs: [Sdk, unknown][], map: Sdk = new Z.ParameterMap()): Promise<Sdk> {
  for (const [param, value] of pairs) if (value !== undefined) await map.add(param, value);
  return map;
}
