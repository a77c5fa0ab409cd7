import { readFileSync } from 'node:fs';
import { train } from '../src/train/trainer.ts';
const [data, out, its, fine] = process.argv.slice(2);
const caseIds = JSON.parse(readFileSync(fine + '/finetune.json', 'utf8')).caseIds as string[];
const r = await train({ data, labelSource: 'seg06', out, model: 'unet2d', modelOptions: { norm: 'cin' }, loss: 'sample-dice', optimizer: 'radam', lr: 1e-3, patchSize: [128, 128], batchSize: 8, iterations: Number(its), caseIds, threads: 2 });
console.log(JSON.stringify({ out, seconds: r.seconds, caseIds }));
