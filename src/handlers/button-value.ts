// The value a record card's buttons carry: "<id>:<version>[:<extra>]" (cases and claims alike).

/** Whether a value from a button or a form's select can be a record id (a forged one fails the lookup, not the query). */
export const isUuid = (value: string): boolean => /^[0-9a-f-]{36}$/i.test(value);

/** Splits a button's value; undefined when it has no id or no numeric version. */
export function readButtonValue(value: string): { id: string; version: number; extra?: string } | undefined {
  const [id, version, extra] = value.split(":");
  if (!id || version === undefined || !/^\d+$/.test(version)) return undefined;
  return { id, version: Number(version), extra };
}

/** The record id (under `idKey`) and "version" a form carries in its context; undefined when missing or malformed. */
export function readFormVersion(context: Record<string, string>, idKey: string): { id: string; version: number } | undefined {
  const id = context[idKey];
  return id && /^\d+$/.test(context.version ?? "") ? { id, version: Number(context.version) } : undefined;
}
