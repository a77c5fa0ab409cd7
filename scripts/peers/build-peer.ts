/**
 * Builds the ITK peer programs of scripts/peers/ (cmake against Debian's libinsighttoolkit5-dev) once per machine,
 * into the temp folder; the benchmarks call `itkPeer(name)` and skip the peer when ITK is not installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PEER_SOURCE = fileURLToPath(new URL('.', import.meta.url));

/** The path of the built peer `name`, or why it is not available. */
export function itkPeer(name: string): { binary: string } | { available: false; reason: string } {
  const build = join(tmpdir(), 'multirater-itk-peer');
  const binary = join(build, name);
  if (!existsSync(binary)) {
    mkdirSync(build, { recursive: true });
    const configure = spawnSync('cmake', ['-S', PEER_SOURCE, '-B', build, '-DCMAKE_BUILD_TYPE=Release'], { encoding: 'utf8' });
    if (configure.status !== 0) return { available: false, reason: 'cmake cannot find ITK (apt-get install libinsighttoolkit5-dev)' };
    const make = spawnSync('cmake', ['--build', build], { encoding: 'utf8' });
    if (make.status !== 0) return { available: false, reason: `ITK peer build failed: ${make.stderr.trim().split('\n').pop()}` };
  }
  return { binary };
}
