/**
 * logrus, as k3s writes it: key=value to journald/files
 * (`time="2026-05-26T17:57:40-07:00" level=info msg="..."`) and the terminal form on a console
 * (`INFO[2019-01-22T15:16:19.908493986-07:00] msg`). Both carry an offset, so times are exact
 * (nanoseconds are cut to microseconds).
 *
 * k3s runs the Kubernetes components in its own process, so its stream interleaves klog lines with
 * the logrus ones: both descriptors read klog headers too. Lines with no header (the flag parser's
 * `Flag --port has been deprecated, ...`, Go's `crypto/rand: blocked for 60 seconds ...`, panics)
 * continue the record before them, so their text stays with the record they were printed beside; with
 * no record before, they are skipped with a reason. The terminal form's `INFO[0000]` (seconds since
 * the process started) is no clock: such records get `{kind:'none'}`.
 */
import type { FormatDescriptor } from '../types.js';
import { isGoContinuationLine, parseKlog, parseLogrusKeyValue, parseLogrusTty } from './go-log-records.js';
import { parseGoStreamLine } from './klog.js';
import { shareOfLines, type LineVerdict } from './line-share.js';

function judgeWith(readLogrus: (line: string) => unknown): (line: string) => LineVerdict {
  return (line) => {
    if (readLogrus(line)) return 'record';
    return parseKlog(line) || isGoContinuationLine(line) ? 'companion' : 'foreign';
  };
}

export const logrusKeyValue: FormatDescriptor = {
  name: 'logrus',
  title: 'logrus key=value lines (k3s journal, containerd, dockerd): time="..." level=info msg="..."',
  detect: (head) => shareOfLines(head, judgeWith(parseLogrusKeyValue)),
  parse: (line, prev) => parseGoStreamLine(line, prev, (text) => parseLogrusKeyValue(text) ?? parseKlog(text)),
  samples: [
    {
      line: 'time="2026-05-26T17:57:40-07:00" level=error msg="failed to renew lease kube-system/k3s: timed out waiting for the condition"',
      expect: {
        kind: 'k3s.lease_failure',
        source: 'k3s',
        severity: 'error',
        time: '2026-05-27T00:57:40.000Z',
        fields: { level: 'error', lease: 'kube-system/k3s' },
      },
    },
    {
      line: 'time="2022-10-09T21:33:15.547531433Z" level=info msg="libcontainerd: started new containerd process" pid=1178',
      expect: { kind: 'k3s.other', severity: 'info', time: '2022-10-09T21:33:15.547Z', fields: { level: 'info', pid: '1178' } },
    },
  ],
};

export const logrusTty: FormatDescriptor = {
  name: 'logrus-tty',
  title: 'logrus terminal lines (k3s server console): INFO[2019-01-22T15:16:19.908493986-07:00] msg',
  detect: (head) => shareOfLines(head, judgeWith(parseLogrusTty)),
  parse: (line, prev) => parseGoStreamLine(line, prev, (text) => parseLogrusTty(text) ?? parseKlog(text)),
  samples: [
    {
      line: 'INFO[2019-01-22T15:16:20.273441984-07:00] Listening on :6443                           ',
      expect: { kind: 'k3s.other', source: 'k3s', severity: 'info', time: '2019-01-22T22:16:20.273Z', fields: { level: 'info' } },
    },
    {
      line: 'Flag --insecure-port has been deprecated, This flag will be removed in a future version.',
      expect: { continuation: true },
    },
    {
      line: 'ERRO[2026-05-26T17:57:40.000000000-07:00] Another app is currently holding the xtables lock. Perhaps you want to use the -w option?',
      expect: { kind: 'k3s.xtables_lock', severity: 'error', time: '2026-05-27T00:57:40.000Z' },
    },
  ],
};
