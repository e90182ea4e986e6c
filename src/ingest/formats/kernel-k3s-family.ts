/**
 * The kernel ring-buffer and k3s/Go-log formats, most specific first. Each detect() is strict (it
 * only counts lines with its own stamp), so the order only breaks ties.
 */
import type { FormatDescriptor } from '../types.js';
import { dmesgRaw } from './dmesg.js';
import { dmesgHuman } from './dmesg-human.js';
import { dmesgIso } from './dmesg-iso.js';
import { dmesgDelta, dmesgReltime } from './dmesg-relative.js';
import { kmsg } from './kmsg.js';
import { klog } from './klog.js';
import { logrusKeyValue, logrusTty } from './logrus.js';
import { zapJson } from './zap-json.js';
import { criFormat } from './cri.js';
import { dockerJsonFormat } from './docker-json.js';

export const KERNEL_K3S_FORMATS: FormatDescriptor[] = [kmsg, dmesgRaw, dmesgHuman, dmesgIso, dmesgReltime, dmesgDelta, klog, logrusKeyValue, logrusTty, zapJson, criFormat, dockerJsonFormat];
