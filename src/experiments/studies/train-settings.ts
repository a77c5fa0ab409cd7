/**
 * The training settings every study's train jobs share (the `train` job's spec fields of the same names); a study
 * extends the schema with what it pins (loss, schedule, checkpoint choice).
 */
import { z } from 'zod';

/** Schema of the training settings every study's presets share; `TrainSettings` is its type. */
export const trainSettings = z.object({
  /** Training iterations (optimiser steps). */
  iterations: z.number().int().positive(),
  /** Images (slices or patches) per step. */
  batchSize: z.number().int().positive(),
  /** Learning rate. */
  lr: z.number().positive(),
  /** Validate every this many iterations. */
  validateEvery: z.number().int().positive(),
  /** Write a checkpoint every this many iterations. */
  checkpointEvery: z.number().int().positive(),
});
/** A preset's training settings. */
export type TrainSettings = z.infer<typeof trainSettings>;
