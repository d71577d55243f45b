export * from './dsp.ts';
export * from './dsp-state.ts';
export * from './odrl.ts';
export * from './odrl-evaluate.ts';
export * from './odrl-operands.ts';
export * from './odrl-rdf.ts';
export * from './result.ts';
