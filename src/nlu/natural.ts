/**
 * The one place that loads `natural`. It calls dotenv on import and prints "injected env"
 * lines unless DOTENV_CONFIG_QUIET is set, so the variable is set before the require.
 * Its bundled .d.ts pulls .ts sources that do not compile under our settings, so the small
 * part we use is typed here instead.
 */
import { createRequire } from 'node:module';

process.env['DOTENV_CONFIG_QUIET'] = 'true';

export interface Stemmer {
  stem(token: string): string;
}

interface NaturalSubset {
  readonly StemmerId: Stemmer;
}

const require = createRequire(import.meta.url);
const natural = require('natural') as NaturalSubset;

/** Sastrawi port: pembayaran -> bayar, perpanjangan -> panjang. */
export const indonesianStemmer: Stemmer = natural.StemmerId;
