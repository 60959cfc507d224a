import DataLoader from "dataloader";

/**
 * A DataLoader whose primed values can also be read at once (`primed`), without a promise. A page
 * of children read in its root's statement is primed before any child field resolves; its field
 * can then answer synchronously, so graphql-jit goes on through the page in the same pass instead
 * of awaiting a promise per parent (a hundred per deep list). `load` answers from the same values,
 * so callers that wait see the same pages; `prime` keeps the first value, as DataLoader's does.
 */
export class PrimedLoader<K, V> extends DataLoader<K, V> {
  private readonly values = new Map<K, V>();

  /** The value primed for `key`, or undefined: never a loaded one (those arrive through `load`). */
  primed(key: K): V | undefined {
    return this.values.get(key);
  }

  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    if (
      value instanceof Error ||
      (value !== null &&
        typeof value === "object" &&
        typeof (value as PromiseLike<V>).then === "function")
    )
      return super.prime(key, value);
    if (!this.values.has(key)) this.values.set(key, value as V);
    return this;
  }

  override load(key: K): Promise<V> {
    return this.values.has(key)
      ? Promise.resolve(this.values.get(key)!)
      : super.load(key);
  }

  override clear(key: K): this {
    this.values.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.values.clear();
    return super.clearAll();
  }
}
