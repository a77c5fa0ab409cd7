/**
 * The ITK peer programs of scripts/peers/ (cmake against Debian's libinsighttoolkit5-dev), built once per machine
 * into the temp folder: the benchmarks call `itkPeer(name)` and skip the peer when ITK is not installed. The
 * builder lives in `src/experiments/peer-programs.ts`, which studies use too.
 */
export { itkPeer } from '../../src/experiments/peer-programs.ts';
