// Groups the description's schemas into classes of the same type, whatever their names or areas, so that a
// generator can declare each type once. Kept out of generators/ itself: api-description/codegen.mjs runs
// every .mjs file there as a generator.

/**
 * Classes of identical schemas by partition refinement (Moore's algorithm): every schema starts in one class;
 * each round keys a schema by its rendering with every `$ref` written as its referent's class of the round
 * before, and splits the classes by key, until a round splits nothing. References are compared by class, never
 * expanded, so `$ref` cycles terminate, and two schemas end in one class exactly when no depth of references
 * tells them apart.
 * @param {string[]} refs every schema reference (`"<area>#/schemas/<Name>"`), in description order
 * @param {(ref: string, classOf: (ref: string) => string) => string} render a schema's text, with each
 *   `$ref` written as `classOf($ref)`
 * @returns {string[][]} the classes, each its references in description order, ordered by first member
 */
export function identicalSchemas(refs, render) {
  let classOf = new Map(refs.map((r) => [r, 0]));
  for (let count = 1; ; ) {
    const keys = new Map();
    const next = new Map();
    for (const r of refs) {
      const key = render(r, (x) => `#${classOf.get(x) ?? x}`);
      if (!keys.has(key)) keys.set(key, keys.size);
      next.set(r, keys.get(key));
    }
    classOf = next;
    if (keys.size === count) break;
    count = keys.size;
  }
  const classes = new Map();
  for (const r of refs) classes.set(classOf.get(r), [...(classes.get(classOf.get(r)) ?? []), r]);
  return [...classes.values()];
}
