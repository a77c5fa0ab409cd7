export {
  benchNetwork,
  benchUnet,
  runBench,
  type BenchOptions,
  type BenchResult,
  type NetworkBenchSpec,
  type NetworkBenchTimes,
} from './bench.ts';
export { runAnnotatorBench, type AnnotatorBenchOptions, type AnnotatorBenchResult } from './annotator-bench.ts';
export { benchModel, type ModelBenchOptions, type ModelBenchResult } from './model-bench.ts';
