import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { SMART_DATA_MODELS_DIR } from './contexts.ts';

// ajv-formats ships CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** `$ref` hosts the upstream schemas point at, answered from the vendored `_common/` copies. */
const COMMON_SCHEMA_IDS: Record<string, string> = {
  'https://smart-data-models.github.io/data-models/common-schema.json': 'common-schema.json',
  'https://smart-data-models.github.io/dataModel.Environment/Environment-schema.json':
    'Environment-schema.json',
  'https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/Environment-schema.json':
    'Environment-schema.json',
};

export interface SchemaProblem {
  type: string;
  id: string;
  errors: string[];
}

/**
 * Validates keyValues entities against the vendored Smart Data Models `schema.json` of their
 * type, offline. Upstream schemas mix draft-07 and 2020-12 headers and use loose keywords, so
 * meta-validation and strict mode are off; the constraints themselves are enforced.
 */
export class SmartDataModelValidator {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(dir: string = SMART_DATA_MODELS_DIR) {
    const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
    addFormats(ajv);
    // ajv-formats lacks the internationalised e-mail format the common schema names.
    ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
    for (const [id, file] of Object.entries(COMMON_SCHEMA_IDS)) {
      const schema = JSON.parse(readFileSync(join(dir, '_common', file), 'utf8')) as Record<string, unknown>;
      ajv.addSchema({ ...schema, $id: id }, id);
    }
    for (const type of readdirSync(dir)) {
      const file = join(dir, type, 'schema.json');
      if (type.startsWith('_') || !statSync(join(dir, type)).isDirectory()) continue;
      const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      delete schema.$schema;
      this.validators.set(type, ajv.compile(schema));
    }
  }

  get types(): string[] {
    return [...this.validators.keys()].sort();
  }

  /** Problems of one keyValues entity, or undefined when it is valid. */
  validate(entity: Record<string, unknown>): SchemaProblem | undefined {
    const type = String(entity.type);
    const id = String(entity.id);
    const validate = this.validators.get(type);
    if (!validate) return { type, id, errors: [`no Smart Data Models schema for type ${type}`] };
    if (validate(entity)) return undefined;
    return { type, id, errors: (validate.errors ?? []).map(describe) };
  }
}

function describe(e: ErrorObject): string {
  return `${e.instancePath || '/'} ${e.message ?? e.keyword}`;
}
