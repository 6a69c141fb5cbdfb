/**
 * A resource that can also be called as the hand-written method it replaces (`crm.users()` lists users as
 * before, `crm.users.get(id)` is the generated resource): the function inherits the resource's methods.
 */
export function callableResource<R extends object, F extends (...args: never[]) => unknown>(resource: R, fn: F): R & F {
  Object.setPrototypeOf(fn, resource);
  return fn as R & F;
}
