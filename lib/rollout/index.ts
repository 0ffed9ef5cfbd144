// The rollout library: manifest -> order -> plan / deploy / drift -> reports. See docs/rollout.md.
export * from './errors';
export * from './manifest';
export * from './order';
export * from './runner';
export * from './steps';
export * from './plan-json';
export * from './plan';
export * from './deploy';
export * from './drift';
export * from './exit-codes';
export * from './report';
export * from './environment';
export * from './cli';
