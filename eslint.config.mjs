// ESLint: typescript-eslint's type-checked recommended rules and Pulumi's own plugin (no Output in a
// template literal: it would print "Calling [toString] on an Output<T> is not supported"; use
// pulumi.interpolate). Formatting is Prettier's job (npm run format:check), so no style rules here.
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
    globalIgnores(["bin/", "dist/", "out/", "scratch/"]),
    js.configs.recommended,
    {
        files: ["**/*.ts"],
        extends: [tseslint.configs.recommendedTypeChecked],
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        // The plugin ships these two rules and no preset (@pulumi/eslint-plugin 0.3.1, src/index.ts).
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
        },
    },
    {
        // .mocharc.cjs: mocha's settings, plain CommonJS run by Node.
        files: ["**/*.cjs"],
        languageOptions: {
            sourceType: "commonjs",
            globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly" },
        },
    },
    {
        // One entry contract for every command, `main(argv): Promise<number>`, whether or not it awaits.
        files: ["tools/commands/*.ts"],
        rules: { "@typescript-eslint/require-await": "off" },
    },
);
