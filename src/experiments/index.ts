/** End-to-end experiments built from the library. */
export { demoTable, runDemo, type DemoOptions, type DemoResult, type DemoRow } from './demo.ts';
