// The bundled bin is CommonJS, which has no import.meta: esbuild injects this
// in its place (scripts/bundle-tui.mjs), the URL of the bin file itself.
import { pathToFileURL } from 'node:url';

export const chatTuiBinUrl = pathToFileURL(__filename).href;
