import { describe, expect, it } from 'vitest';
import { parseSftpCommand } from './parse-sftp-command.ts';

describe('parseSftpCommand', () => {
  it.each([
    ['put a.mrc metacoll/in/bib/x.mrc', { verb: 'put', local: 'a.mrc', remote: 'metacoll/in/bib/x.mrc' }],
    ['put "my file.mrc" "in/bib/a b.mrc"', { verb: 'put', local: 'my file.mrc', remote: 'in/bib/a b.mrc' }],
    ['get x', { verb: 'get', path: 'x' }],
    ['ls metacoll', { verb: 'ls', path: 'metacoll' }],
    ['rm x', { verb: 'rm', path: 'x' }],
    ['mkdir d', { verb: 'mkdir', path: 'd' }],
    ['rename a b', { verb: 'rename', from: 'a', to: 'b' }],
  ])('%s', (text, parsed) => {
    expect(parseSftpCommand(text)).toEqual(parsed);
  });

  it.each([
    ['chmod 600 x', 'unknown SFTP command "chmod"; the commands are put LOCAL REMOTE'],
    ['rmdir x', 'unknown SFTP command "rmdir"'],
    ['rename a', 'rename takes 2 argument(s), got 1'],
    ['put a', 'put takes 2 argument(s), got 1'],
    ['ls', 'ls takes 1 argument(s), got 0'],
  ])('%s is an error', (text, error) => {
    expect(parseSftpCommand(text)).toEqual({ error: expect.stringContaining(error) });
  });
});
