// timestamp_format: a few strftime codes, checked when the config is read and
// applied to every message's time.

export const FORMAT_CODES = new Set(['H', 'M', 'S', 'd', 'm', 'Y', 'y', '%']);

/** What is wrong with a format, or undefined. */
export function badFormat(format: string): string | undefined {
  for (const m of format.matchAll(/%(.?)/g)) {
    if (!FORMAT_CODES.has(m[1] ?? '')) return m[1] ? `an unknown code %${m[1]}` : 'a % at its end';
  }
  return undefined;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A date in a timestamp_format (local time). */
export function formatTimestamp(format: string, d: Date): string {
  return format.replace(/%(.)/g, (_, c: string) => {
    switch (c) {
      case 'H':
        return pad2(d.getHours());
      case 'M':
        return pad2(d.getMinutes());
      case 'S':
        return pad2(d.getSeconds());
      case 'd':
        return pad2(d.getDate());
      case 'm':
        return pad2(d.getMonth() + 1);
      case 'Y':
        return String(d.getFullYear());
      case 'y':
        return pad2(d.getFullYear() % 100);
      default:
        return c;
    }
  });
}
