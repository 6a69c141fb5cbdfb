/**
 * Functions registered by tests (`emulator.registerFunction`). Handlers are code, not data, so this registry is
 * not a state table: it takes no part in snapshots and survives `reset()`; a restarted emulator's user
 * registers them again.
 */

/** Called for `functions/{name}/actions/execute`; the return value becomes `details.output`. */
export type FunctionHandler = (input: {
  method: string;
  query: Record<string, string>;
  body: unknown;
  arguments: Record<string, unknown>;
  userId: string;
}) => unknown | Promise<unknown>;

export class FunctionRegistry {
  readonly #handlers = new Map<string, FunctionHandler>();

  register(apiName: string, handler: FunctionHandler): void {
    this.#handlers.set(apiName.toLowerCase(), handler);
  }

  get(apiName: string): FunctionHandler | undefined {
    return this.#handlers.get(apiName.toLowerCase());
  }
}
