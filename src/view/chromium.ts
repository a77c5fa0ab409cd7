/**
 * Headless Chromium for `view --screenshot` and the viewer's tests, through playwright-core (no browser download:
 * it drives an installed Chromium, Debian's /usr/bin/chromium by default). WebGL2 there comes from SwiftShader
 * (ANGLE's CPU Vulkan), which headless Chromium only enables with --enable-unsafe-swiftshader; the other flags keep
 * it from reaching the network or prompting. Mesa's llvmpipe (through ANGLE on EGL) is the alternative where Mesa is
 * installed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { MultiraterError } from '../errors.ts';

/** Debian's Chromium. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Software WebGL2 back ends: SwiftShader (ships inside Chromium) or Mesa's llvmpipe (multi-threaded, needs Mesa). */
export type SoftwareGl = 'swiftshader' | 'llvmpipe';

const GL_ARGS: Record<SoftwareGl, string[]> = {
  swiftshader: ['--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  llvmpipe: ['--use-gl=angle', '--use-angle=gl-egl', '--ignore-gpu-blocklist'],
};

/**
 * Flags of every launch, before the WebGL ones: no sandbox, and no QUIC, first-run, background, update or sync traffic.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Options of `launchChromium`: which Chromium, its viewport and its software WebGL back end. */
export interface ChromiumOptions {
  /** The Chromium executable; default /usr/bin/chromium. */
  executablePath?: string;
  /** Viewport in CSS pixels; default 1280×800. */
  viewport?: { width: number; height: number };
  /** Software WebGL back end; default swiftshader. */
  gl?: SoftwareGl;
}

/** A headless Chromium with a fresh profile; `close()` ends it and deletes the profile. */
export async function launchChromium(
  options: ChromiumOptions = {},
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  let playwright: typeof import('playwright-core');
  try {
    playwright = await import('playwright-core');
  } catch {
    throw new MultiraterError(
      'file_not_found',
      'playwright-core is not installed (npm install playwright-core) — needed to drive Chromium',
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'multirater-chromium-'));
  try {
    const context = await playwright.chromium.launchPersistentContext(profile, {
      executablePath: options.executablePath ?? DEFAULT_CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, ...GL_ARGS[options.gl ?? 'swiftshader']],
      viewport: options.viewport ?? { width: 1280, height: 800 },
    });
    return {
      context,
      close: async () => {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw new MultiraterError(
      'file_not_found',
      `${options.executablePath ?? DEFAULT_CHROMIUM}: cannot start Chromium (${(e as Error).message.split('\n')[0]})`,
    );
  }
}
