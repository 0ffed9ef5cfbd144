/**
 * Where TEI's model comes from: the platform's in-region object storage, never huggingface.co at run time.
 *
 * Layout (the staging contract): every file of the model repository at the pinned commit, under
 * `models/<model-id>/<revision>/` of the platform bucket (S3) / container (Blob), with the repository's
 * relative paths kept, e.g. `models/BAAI/bge-m3/5617a9f.../config.json`, `.../tokenizer.json`,
 * `.../model.safetensors`, `.../1_Pooling/config.json`. TEI's init container copies exactly that prefix.
 */

/** Output dimensions of embedding models we know (their config.json `hidden_size`); others declare them. */
const KNOWN_DIMENSIONS: Readonly<Record<string, number>> = {
  'BAAI/bge-m3': 1024,
  'intfloat/multilingual-e5-large': 1024,
  'intfloat/multilingual-e5-base': 768,
};

/** The vector size the model produces: the declared one, else the known one, else undefined. */
export function embeddingDimensions(model: { readonly modelId: string; readonly dimensions?: number }): number | undefined {
  return model.dimensions ?? KNOWN_DIMENSIONS[model.modelId];
}

/** The object-storage prefix of one model revision (trailing slash: a prefix, not an object). */
export function teiModelPrefix(modelId: string, revision: string): string {
  return `models/${modelId}/${revision}/`;
}

/** One model revision to stage before the first deploy (what `npm run mirror` prints). */
export interface ModelArtifact {
  /** The Hub repository and commit the files are taken from (outside the region, by the staging operator). */
  readonly source: { readonly repository: string; readonly revision: string };
  /** Prefix of the platform bucket/container the files go to. */
  readonly prefix: string;
  /** Files TEI needs at least; the whole repository snapshot may be copied. */
  readonly requiredFiles: readonly string[];
}

/**
 * TEI reads the model config, the tokenizer and safetensors weights (sentence-transformers models add
 * their pooling config, which TEI reads when present).
 */
const TEI_REQUIRED_FILES = ['config.json', 'tokenizer.json', 'model.safetensors'] as const;

export function teiModelArtifacts(model: { readonly modelId: string; readonly revision: string }): ModelArtifact[] {
  return [
    {
      source: { repository: `https://huggingface.co/${model.modelId}`, revision: model.revision },
      prefix: teiModelPrefix(model.modelId, model.revision),
      requiredFiles: [...TEI_REQUIRED_FILES],
    },
  ];
}
