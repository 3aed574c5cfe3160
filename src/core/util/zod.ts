// zod's "mini" build with its English messages. The classic build carries every locale and method chains
// (about 700 KB of the bundle, the largest part of activation and CLI start); mini is about 30 KB.
// Import it as `import * as z from '../util/zod.js'` and use only `z.name` property reads: esbuild then keeps
// just the functions used (passing `z` around as a value would pull in every locale again).
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
