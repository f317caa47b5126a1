// The venue's trading day: at the session end (UTC, daily) DAY orders expire. The input's id is
// the date, so a restart around the session end never expires a day twice.
export function parseSessionEnd(value: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) throw new Error(`EXEC_SESSION_END_UTC: expected HH:MM (UTC), got "${value}"`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** The next session end strictly after `now`. */
export function nextSessionEnd(now: Date, end: { hour: number; minute: number }): Date {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), end.hour, end.minute));
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next;
}

/** Calls `onSessionEnd` at every session end until the returned stop() is called. */
export function scheduleSessionEnds(
  end: { hour: number; minute: number },
  onSessionEnd: (at: Date) => void,
  now = () => new Date(),
): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const at = nextSessionEnd(now(), end);
    timer = setTimeout(() => {
      onSessionEnd(at);
      arm();
    }, at.getTime() - now().getTime());
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
