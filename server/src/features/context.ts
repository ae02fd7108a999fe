// What every editor feature receives: one analysed document version with its schema, the settings
// and what the client can do. Features are pure functions of this and the LSP params.

export type { AnalyzedDocument as FeatureInput, ClientAbilities } from '../workspace/engine';
