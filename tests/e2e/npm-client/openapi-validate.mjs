// Validates the OpenAPI document in the file named on the command line against the OpenAPI
// specification's own JSON Schemas (@seriousme/openapi-schema-validator) and prints
// `{"valid", "version", "errors"}`.
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";

const validator = new Validator();
const result = await validator.validate(JSON.parse(readFileSync(process.argv[2], "utf8")));
console.log(JSON.stringify({ valid: result.valid, version: validator.version, errors: result.errors ?? [] }));
