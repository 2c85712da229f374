// Polling for a condition the app or the page reaches in its own time.

/** Reads until `ok` holds (or `timeout` ms pass, then throws saying `what`), returning the last value. */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  timeout = 30_000,
): Promise<T> {
  const end = Date.now() + timeout;
  let last = await read();
  while (!ok(last) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 150));
    last = await read();
  }
  if (!ok(last)) throw new Error(`${what}; last seen: ${JSON.stringify(last)}`);
  return last;
}
