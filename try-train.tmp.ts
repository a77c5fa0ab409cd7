import { train } from './src/train/trainer.ts';
const t0 = Date.now();
const r = await train({ data: process.argv[2], labelSource: 'expert', out: process.argv[3], iterations: Number(process.argv[4] ?? 20), validateEvery: 10, checkpointEvery: 10, threads: 2 }, (e) => {
  if (e.type === 'step' && e.iteration % 5 === 0) console.log('step', e.iteration, e.loss.toFixed(4), ((Date.now() - t0) / 1000).toFixed(1));
  if (e.type === 'validation') console.log('val', JSON.stringify(e.record));
});
console.log(JSON.stringify({ ...r, config: undefined }));
