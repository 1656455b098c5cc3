// The stack configuration: one schema module, read once at start-up (see parse.ts).
export * from "./problems";
export * from "./fields";
export * from "./schema";
export { decodeConfigValues, loadStackConfig, parseStackConfig } from "./parse";
