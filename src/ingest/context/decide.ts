/**
 * Per-file decisions from the bundle context: the zone, host and year reference a file's lines are
 * read with, each with the sentence that says why (docs/time.md gives the orders).
 */
import type { FileSurvey } from '../survey.js';
import type { BundleContext } from './index.js';
import { formatOffset, machineZone } from '../../time/zones.js';
import { agreeingZones, describeHints, firstDisagreement, zoneAgrees } from './zone-hints.js';
import type { UserTimeOptions } from '../settings.js';

/** What the user says (--tz, --tz-for, --host, --year, --ref). */
export type ContextOptions = Pick<UserTimeOptions, 'tz' | 'tzFor' | 'host' | 'year' | 'refUs' | 'refText'>;

export interface ContextSettings {
  zone: string;
  zoneWhy: string;
  zoneIsFallback: boolean;
  host: string;
  hostWhy: string;
  /** True when no evidence named the host (`--host`, or a machine of its own). */
  hostIsFallback: boolean;
  refUs: number | null;
  refWhy: string;
  /** Said to the user: contradictions, a host nothing names, a zone chosen among several. */
  warnings: string[];
  /** Those about the host, said on every section whose records needed it. */
  hostWarnings: string[];
  /** Those about the zone from offsets on lines, said on every section that read times in the zone. */
  zoneWarnings: string[];
}

/**
 * Zone: `--tz-for`, `--tz`, the file's own facts, the nearest agreeing directory's, this machine's
 * (a fallback, with a warning). Host: hosts.ts order. Reference: `--year`, `--ref`, the context's
 * references (capture time, journal header, newest dated line, the same host's sibling captures),
 * the file's mtime last, and it says so.
 */
export function decideFromContext(
  survey: FileSurvey,
  user: ContextOptions,
  ctx: BundleContext,
  globMatches: (glob: string, path: string) => boolean,
): ContextSettings {
  const warnings: string[] = [];
  const zoneWarnings: string[] = [];
  let zone: string;
  let zoneWhy: string;
  let zoneIsFallback = false;
  const forFile = user.tzFor.find((t) => globMatches(t.glob, survey.path));
  const fromDir = survey.facts.zone ? null : ctx.zoneFor(survey.path);
  if (forFile) {
    zone = forFile.zone;
    zoneWhy = `zone ${zone} from --tz-for ${forFile.glob}=${forFile.zone}`;
  } else if (user.tz) {
    zone = user.tz;
    zoneWhy = `zone ${zone} from --tz`;
  } else if (survey.facts.zone) {
    zone = survey.facts.zone.name;
    zoneWhy = `zone ${zone}: ${survey.facts.zone.why}`;
  } else if (fromDir) {
    zone = fromDir.name;
    zoneWhy = `zone ${zone}: ${fromDir.why}`;
    if (fromDir.warning) warnings.push(fromDir.warning);
  } else {
    zone = machineZone();
    zoneWhy = `zone ${zone} is this machine's zone: a FALLBACK, since neither --tz nor the bundle names one`;
    zoneIsFallback = true;
  }

  // Offsets on lines of the same capture or host (zone-hints.ts): they check the file's own stated
  // zone, and pick among the zones the bundle suggests when the zone came from elsewhere (another
  // file's statement, this machine); a user's --tz/--tz-for is never second-guessed.
  const hints = forFile || user.tz ? [] : ctx.zoneHintsFor(survey.path);
  if (hints.length > 0) {
    const said = describeHints(hints);
    const off = firstDisagreement(zone, hints);
    const contradiction = (z: string, why: string, o: NonNullable<typeof off>): string =>
      `${survey.path} is read in ${z} (${why}), but ${o.hint.where} carries offset ${formatOffset(o.hint.offsetMin)} at ${iso(o.hint.us)}, where ${z} is ${formatOffset(o.zoneOffsetMin)}: one of them is wrong — check the zone, or give --tz/--tz-for`;
    if (!off) {
      zoneWhy += `; the offsets on lines agree (${said}: exact at those instants)`;
    } else if (survey.facts.zone) {
      zoneWarnings.push(contradiction(zone, zoneWhy.replace(/^zone \S+: /, ''), off));
      zoneWhy += `; contradicted by the offsets on lines (${said})`;
    } else {
      const suggested = [...new Set([...user.tzFor.map((t) => t.zone), ...ctx.statedZones])].filter((z) => zoneAgrees(z, hints));
      if (suggested.length === 1) {
        const before = zoneWhy;
        zone = suggested[0]!;
        zoneIsFallback = false;
        zoneWhy = `zone ${zone}: ${said}, and ${zone} is the only zone the bundle states that had ${hints.length === 1 ? 'that offset then' : 'those offsets then'} (exact at those instants; the lines between and beyond follow ${zone}'s rules); instead of: ${before}`;
        // The directory's choice among several zones no longer stands: its warning does not either.
        if (fromDir?.warning) warnings.splice(warnings.indexOf(fromDir.warning), 1);
      } else {
        const agreeing = agreeingZones(hints);
        const some = agreeing.slice(0, 6).join(', ') + (agreeing.length > 6 ? ` and ${agreeing.length - 6} more` : '');
        zoneWhy += `; zone hint: ${said}, which ${agreeing.length} zones agree with${agreeing.length ? ` (${some})` : ''}, not ${zone}`;
        zoneWarnings.push(
          `${survey.path} is read in ${zone}, but ${said}, where ${zone} is ${formatOffset(off.zoneOffsetMin)}; an offset is no zone (DST changes it) and ${suggested.length > 1 ? `the bundle's zones ${suggested.join(', ')} all agree` : 'no zone the bundle states agrees'}: pass --tz ZONE (or --tz-for) with the host's zone${agreeing.length ? ` (agreeing: ${some})` : ''}`,
        );
      }
    }
  }

  const h = ctx.hostFor(survey.path, user.host);
  warnings.push(...h.warnings);

  let refUs: number | null = null;
  let refWhy: string;
  if (user.year !== undefined) {
    refWhy = `year ${user.year} from --year for times without one`;
  } else if (user.refUs !== undefined) {
    refUs = user.refUs;
    refWhy = `year inferred against --ref ${user.refText ?? ''} (${iso(refUs)})`.replace('  ', ' ');
  } else {
    const refs = ctx.referencesFor(survey.path, zone);
    const best = refs[0];
    if (best) {
      refUs = best.us;
      refWhy = `year inferred against ${best.why}`;
    } else {
      refUs = Math.round(survey.mtimeMs) * 1000;
      refWhy = `year inferred against the file's modification time (${iso(refUs)}), the last resort: nothing in the bundle dates it (give --ref if the file was copied without its times)`;
    }
  }
  return { zone, zoneWhy, zoneIsFallback, host: h.host, hostWhy: h.why, hostIsFallback: h.fallback, refUs, refWhy, warnings, hostWarnings: h.warnings, zoneWarnings };
}

function iso(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}
