/**
 * A request body built from one of Zoho's schemas. Zoho describes requests with its reply schemas, which mark
 * read-only fields (`id`, `created_time`) required; on input every field is optional, and its type is still
 * checked (a wrong field type does not compile).
 */
export type Input<T> = T extends readonly (infer U)[] ? Input<U>[] : T extends object ? { [K in keyof T]?: Input<T[K]> } : T;
