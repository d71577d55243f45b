/**
 * Local wall-clock time in an IANA zone to an ISO 8601 UTC instant. Source files give local
 * dates and hours; NGSI-LD `observedAt` is compared as UTC. A time that does not exist locally
 * (the spring-forward gap) gives `undefined`, so a series never holds two values for one instant;
 * in the autumn overlap the earlier instant wins.
 */
export function localToUtc(date: string, hour: number, minute: number, timeZone: string): string | undefined {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  let best: number | undefined;
  // The offsets a day either side bracket any change on this day.
  for (const offset of [offsetMs(wall - DAY_MS, timeZone), offsetMs(wall + DAY_MS, timeZone)]) {
    const instant = wall - offset;
    if (offsetMs(instant, timeZone) === offset && (best === undefined || instant < best)) best = instant;
  }
  return best === undefined ? undefined : new Date(best).toISOString().replace('.000Z', 'Z');
}

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function offsetMs(instant: number, timeZone: string): number {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, fmt);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(instant)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** A fixed-offset local timestamp ("YYYY-MM-DD HH:MM" at UTC+offsetHours) as UTC. */
export function fixedOffsetToUtc(local: string, offsetHours: number): string {
  const [date, time = '00:00'] = local.trim().split(/[ T]/);
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const ms = Date.UTC(y, m - 1, d, hh, mm) - offsetHours * 3_600_000;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
