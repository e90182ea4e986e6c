/** How output is coloured, decided once by the CLI (--color, NO_COLOR, FORCE_COLOR, a terminal). */
import type { Paint } from './table.js';

export interface Style {
  enabled: boolean;
  bold: Paint;
  dim: Paint;
  /** The paint for a severity, or undefined for plain text. */
  severity(severity: string): Paint | undefined;
}

const same: Paint = (s) => s;

export const PLAIN: Style = { enabled: false, bold: same, dim: same, severity: () => undefined };
