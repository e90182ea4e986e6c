/**
 * Property tests run with a fixed seed, so a CI run is repeatable: a failure found once is found
 * again. To explore new inputs, run with FC_SEED=<n> (or FC_SEED=random) and keep any case found as a
 * plain example test.
 */
import fc from 'fast-check';

const seed = process.env.FC_SEED === 'random' ? Date.now() : Number(process.env.FC_SEED ?? 20261124);
fc.configureGlobal({ seed });
