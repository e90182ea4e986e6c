/**
 * Month names in other languages, for syslog stamps written under a non-English `LC_TIME`
 * (`journalctl` formats its `short` stamps with the locale's `%b`: `août 19 11:08:37` under fr_FR;
 * lnav's test corpus has such a line). The names come from the ICU data Node carries (Intl), short
 * and long forms, with and without their trailing dot (glibc writes `avril` where ICU writes
 * `avr.`: both are read). A word that names different months in two of the languages is dropped, so
 * a name is read only when it can mean one month: no month is guessed.
 *
 * Built on first use: English stamps (nearly every line) never pay for it.
 */
const LOCALES = ['fr', 'de', 'es', 'it', 'pt', 'nl', 'pl', 'sv', 'da', 'nb', 'fi', 'cs', 'ru', 'tr', 'ro', 'uk'];

let table: Map<string, number> | null = null;

function build(): Map<string, number> {
  const months = new Map<string, Set<number>>();
  const add = (word: string, month: number) => {
    const w = word.toLocaleLowerCase('und');
    if (w.length < 3) return;
    let set = months.get(w);
    if (!set) months.set(w, (set = new Set()));
    set.add(month);
  };
  for (const locale of LOCALES) {
    for (const style of ['short', 'long'] as const) {
      // The month alone (its standalone form) and beside a day (its format form: Russian, Polish
      // and Czech write the genitive there, `мая`, `stycznia`, as a stamp does).
      const alone = new Intl.DateTimeFormat(locale, { month: style, timeZone: 'UTC' });
      const withDay = new Intl.DateTimeFormat(locale, { month: style, day: 'numeric', timeZone: 'UTC' });
      for (let m = 0; m < 12; m++) {
        const date = new Date(Date.UTC(2020, m, 15));
        const inStamp = withDay.formatToParts(date).find((p) => p.type === 'month')?.value;
        for (const word of [alone.format(date), inStamp]) {
          if (word === undefined) continue;
          add(word, m + 1);
          if (word.endsWith('.')) add(word.slice(0, -1), m + 1);
        }
      }
    }
  }
  const out = new Map<string, number>();
  for (const [word, set] of months) if (set.size === 1) out.set(word, [...set][0]!);
  return out;
}

/** The month (1–12) a non-English month word names, or undefined when it names none or several. */
export function localisedMonth(word: string): number | undefined {
  table ??= build();
  return table.get(word.toLocaleLowerCase('und'));
}
