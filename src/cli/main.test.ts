import { describe, expect, it } from 'vitest';
import { buildProgram, commandOf, COMMANDS } from './main.ts';

describe('the command table', () => {
  it('gives every command the summary its own file describes it with', async () => {
    const program = await buildProgram();
    const described = Object.fromEntries(program.commands.map((c) => [c.name(), c.description()]));
    expect(described).toEqual(Object.fromEntries(Object.entries(COMMANDS).map(([name, e]) => [name, e.summary])));
  });

  it('loads only the command a command line names, also after help', () => {
    expect(commandOf(['node', 'multirater', 'train', '--data', 'x'])).toBe('train');
    expect(commandOf(['node', 'multirater', 'help', 'fuse'])).toBe('fuse');
    expect(commandOf(['node', 'multirater', '--help'])).toBeUndefined();
    expect(commandOf(['node', 'multirater', 'nonsense'])).toBeUndefined();
  });
});
