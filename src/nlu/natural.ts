/**
 * The one place that loads `natural` (only its Indonesian stemmer). The package index calls
 * dotenv on import and prints "injected env" lines unless DOTENV_CONFIG_QUIET is set; the
 * variable is still set first in case anything loads the index.
 * Its bundled .d.ts pulls .ts sources that do not compile under our settings, so the small
 * part we use is typed here instead.
 */
import { createRequire } from 'node:module';

process.env['DOTENV_CONFIG_QUIET'] = 'true';

export interface Stemmer {
  stem(token: string): string;
}

const require = createRequire(import.meta.url);

/**
 * Sastrawi port: pembayaran -> bayar, perpanjangan -> panjang. The very module that
 * `natural.StemmerId` exports, loaded on its own: the package's index also loads every
 * other part of natural (classifiers, WordNet, storage back-ends for MongoDB, Redis and
 * PostgreSQL), which cost about 0.4 s of every start-up and many megabytes of memory.
 */
export const indonesianStemmer: Stemmer = require('natural/lib/natural/stemmers/indonesian/stemmer_id.js') as Stemmer;
