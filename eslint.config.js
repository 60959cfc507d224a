import js from "@eslint/js";
import { flatConfigs as importX } from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import { config, configs as tsConfigs } from "typescript-eslint";

export default config(
  {
    ignores: [
      "dist/",
      "web/dist/",
      "node_modules/",
      ".sshub/",
      "coverage/",
      "bin/",
    ],
  },
  js.configs.recommended,
  ...tsConfigs.recommended,
  importX.recommended,
  importX.typescript,
  {
    rules: {
      "import-x/no-default-export": "error",
      "import-x/no-cycle": "error",
      // CommonJS packages such as exceljs are used through their default export from ESM; this rule flags exactly that.
      "import-x/no-named-as-default-member": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
    settings: {
      "import-x/resolver-next": [
        createTypeScriptImportResolver({ project: "./tsconfig.json" }),
      ],
    },
  },
  {
    files: ["eslint.config.js", "vitest.config.ts", "web/vite.config.ts"],
    rules: { "import-x/no-default-export": "off" },
  },
);
