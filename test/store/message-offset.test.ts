/** Lean rows: a message that is the end of its raw line is stored as an offset, and read back whole. */
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { messageOffset } from '../../src/store/writer.js';

describe('messageOffset', () => {
  it('is the start of the message when raw ends with it', () => {
    const raw = 'May 26 17:00:03 kai-server sshd[59051]: Failed password for root from 60.163.139.198 port 56759 ssh2';
    const message = 'Failed password for root from 60.163.139.198 port 56759 ssh2';
    expect(messageOffset(raw, message)).toBe(raw.indexOf('Failed'));
    expect(messageOffset(raw, '')).toBe(raw.length);
  });

  it('is null when the message is not the end of raw (continuations trimmed, rewritten text)', () => {
    expect(messageOffset('a: hello\n   world', 'hello\nworld')).toBeNull();
    expect(messageOffset('short', 'a longer message')).toBeNull();
  });

  it('is null when SQLite would count the prefix differently (astral characters, NUL)', () => {
    expect(messageOffset('host 😀 app: msg', 'msg')).toBeNull();
    expect(messageOffset('pre\0fix: msg', 'msg')).toBeNull();
    // An astral character inside the message itself is fine: only the prefix is counted.
    expect(messageOffset('app: hi 😀', 'hi 😀')).toBe(5);
  });

  it("round-trips through SQLite's substr for prefixes with accents and CJK", () => {
    const db = new Database(':memory:');
    const cases = [
      ['Mai 26 café-hôte démon: message é', 'message é'],
      ['主机 程序: 消息', '消息'],
      ['plain: x', 'x'],
    ];
    for (const [raw, message] of cases) {
      const at = messageOffset(raw!, message!);
      expect(at).not.toBeNull();
      const back = db.prepare('SELECT substr(?, ? + 1) AS m').get(raw, at) as { m: string };
      expect(back.m).toBe(message);
    }
    db.close();
  });
});
