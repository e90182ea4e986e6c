import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TemplateMiner, maskForMining } from '../../src/text/templates.js';

describe('TemplateMiner', () => {
  it('joins messages of one shape and puts <*> exactly where they differ', () => {
    const miner = new TemplateMiner();
    const a = miner.add('Starting job alpha on node red');
    const b = miner.add('Starting job beta on node red');
    const c = miner.add('Starting job gamma on node blue');
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(miner.template(a)).toBe('Starting job <*> on node <*>');
    expect(miner.templates()).toEqual([{ id: a, template: 'Starting job <*> on node <*>', count: 3 }]);
  });

  it('masks before mining, so values never become <*>', () => {
    const miner = new TemplateMiner();
    const id = miner.add('br-33693122cf09: port 8(veth2cbbca2) entered blocking state');
    expect(miner.add('br-aaaaaa111111: port 3(veth99) entered forwarding state')).toBe(id);
    expect(miner.template(id)).toBe('br-<hex>: port <n>(<veth>) entered <state> state');
    const ssh = miner.add('Failed password for invalid user admin from 60.163.139.198 port 42422 ssh2');
    expect(miner.add('Failed password for invalid user  x y z from 1.2.3.4 port 1 ssh2')).toBe(ssh);
    expect(miner.template(ssh)).toBe('Failed password for invalid user <user> from <ip> port <n> ssh2');
    expect(ssh).not.toBe(id);
  });

  it('keeps different shapes apart', () => {
    const miner = new TemplateMiner();
    const timeout = miner.add('apiserver was unable to write a JSON response: http: Handler timeout');
    const closed = miner.add('Connection closed by 1.2.3.4 port 22 [preauth]');
    const shorter = miner.add('apiserver was unable to write');
    const differentWords = miner.add('apiserver got a brand new shiny thing without any trouble');
    expect(new Set([timeout, closed, shorter, differentWords]).size).toBe(4);
    expect(miner.templates().map((t) => t.count)).toEqual([1, 1, 1, 1]);
  });

  it('starts a new template when too few tokens agree', () => {
    const miner = new TemplateMiner({ similarity: 0.8 });
    const a = miner.add('sync loop one two three four');
    const b = miner.add('sync loop one two nine ten');
    expect(b).not.toBe(a);
    expect(miner.template(a)).toBe('sync loop one two three four');
    const loose = new TemplateMiner({ similarity: 0.5 });
    expect(loose.add('sync loop one two nine ten')).toBe(loose.add('sync loop one two three four'));
  });

  it('routes leading tokens with digits through the wildcard branch', () => {
    const miner = new TemplateMiner();
    // Both first tokens hold digits, so they share the <*> branch and Drain generalises them.
    const a = miner.add('x86 core ready');
    expect(miner.add('arm64 core ready')).toBe(a);
    expect(miner.template(a)).toBe('<*> core ready');
    // Digit-free first tokens route to branches of their own and never meet.
    const alpha = miner.add('alpha core ready');
    const beta = miner.add('beta core ready');
    expect(new Set([a, alpha, beta]).size).toBe(3);
  });

  it('sends overflow beyond maxChildren down a shared branch', () => {
    const miner = new TemplateMiner({ maxChildren: 2 });
    const first = miner.add('alpha said hello');
    const second = miner.add('beta said hello');
    const third = miner.add('gamma said hello');
    const fourth = miner.add('delta said hello');
    expect(new Set([first, second]).size).toBe(2);
    expect(fourth).toBe(third);
    expect(miner.template(third)).toBe('<*> said hello');
  });

  it('is deterministic: the same input order gives the same ids and templates', () => {
    const lines = readFileSync('../shared/corpus/fail2ban/sshd', 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.replace(/^.*?\]: /, ''));
    const run = () => {
      const miner = new TemplateMiner();
      const ids = lines.map((line) => miner.add(line));
      return { ids, templates: miner.templates() };
    };
    const first = run();
    expect(run()).toEqual(first);
    expect(first.templates.length).toBeGreaterThan(5);
    expect(first.templates.length).toBeLessThan(new Set(lines).size);
    expect(first.templates.reduce((sum, t) => sum + t.count, 0)).toBe(lines.length);
    expect(first.templates.map((t) => t.id)).toEqual(first.templates.map((_, i) => i + 1));
  });

  it('match finds the template without adding', () => {
    const miner = new TemplateMiner();
    const id = miner.add('Invalid user bob from 1.2.3.4 port 22');
    expect(miner.match('Invalid user alice from 5.6.7.8 port 99')).toBe(id);
    expect(miner.match('totally different words here')).toBeNull();
    expect(miner.templates()).toEqual([{ id, template: 'Invalid user <user> from <ip> port <n>', count: 1 }]);
  });

  it('handles many messages and empty ones', () => {
    const miner = new TemplateMiner();
    for (let i = 0; i < 20_000; i++) {
      miner.add(`br-${(0x100000 + i).toString(16)}ab: port ${i % 16}(veth${i.toString(16)}) entered blocking state`);
      miner.add(`Failed password for invalid user u${i % 97}x from 10.0.${i % 250}.${i % 200} port ${1024 + i} ssh2`);
    }
    const empty = miner.add('   ');
    const all = miner.templates();
    expect(all.map((t) => t.count)).toEqual([20_000, 20_000, 1]);
    expect(miner.template(empty)).toBe('');
  });

  it('rejects bad options and unknown ids', () => {
    expect(() => new TemplateMiner({ similarity: 2 })).toThrow(RangeError);
    expect(() => new TemplateMiner({ depth: -1 })).toThrow(RangeError);
    expect(() => new TemplateMiner({ maxChildren: 0 })).toThrow(RangeError);
    expect(() => new TemplateMiner().template(1)).toThrow(RangeError);
  });
});

describe('maskForMining', () => {
  it('keeps a driver complaint one template whatever its bus address, pid, hex and process', () => {
    // maskMessage alone cuts 0000:3a:0f.3 into `<n>:<n>a:<n>f.<n>`, a different text per device.
    const miner = new TemplateMiner({ similarity: 0.75, mask: maskForMining });
    const lines = [
      'mlx5_core 0000:3a:0f.3: watchdog unit on queue 12 (pid 48211, status 0x1f00beef)',
      'mlx5_core 0000:be:00.1: watchdog unit on queue 3 (pid 912, status 0x00ff0a0b)',
      'mlx5_core 0000:07:1c.7: watchdog unit on queue 63 (pid 4193001, status 0xdeadc0de)',
    ];
    const ids = new Set(lines.map((l) => miner.add(l)));
    expect(ids.size).toBe(1);
    expect(miner.template([...ids][0]!)).toBe('mlx5_core <pci> watchdog unit on queue <n> (pid <n>, status <hex>)');
    // A kernel thread or a process joined to its pid in the same place is still the same complaint.
    const a = miner.add('ena 0000:3a:0f.3: link queue: detected adapter after 120 ms [java:1234]');
    const b = miner.add('ena 0000:01:02.0: link queue: detected adapter after 9 ms [kworker/3:1]');
    expect(b).toBe(a);
    // Another driver's complaint of the same skeleton stays apart.
    expect(miner.add('ixgbe 0000:3a:0f.3: reset adapter on queue 4 (pid 77, status 0x00000001)')).not.toBe([...ids][0]);
  });

  it('masks a bus address only where it stands as a value', () => {
    expect(maskForMining('pcieport 0000:00:1c.0: AER: Corrected error received')).toBe('pcieport <pci> AER: Corrected error received');
    expect(maskForMining('ratio 1234:56:78.9 is no address')).not.toContain('<pci>');
  });
});
