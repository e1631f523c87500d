// ESLint: the architecture's import boundaries, import order and no forgotten promises; Prettier owns the layout.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier/flat';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { defineConfig } from 'eslint/config';

// Electron, and Node's modules with or without the node: prefix.
const ELECTRON = '^(electron(/|$)|@electron/)';
const NODE = `^(node:|(${builtinModules.join('|')})(/|$))`;

export default defineConfig(
  // Build output, and dot-folders (tools' state, local scratch files); the generated kernel is one base64 line.
  { ignores: ['out/', 'dist/', 'test-results/', '.*/', 'src/core/simd-kernels.wasm.ts'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  vue.configs['flat/recommended'],
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
      parserOptions: {
        // Type information for no-floating-promises, from the tsconfig that owns each file.
        projectService: true,
        extraFileExtensions: ['.vue'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver()] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Packages (Node's and npm's) first, then the project's own modules; the order within each group is free.
      'import-x/order': [
        'error',
        {
          groups: [
            ['builtin', 'external'],
            ['internal', 'parent', 'sibling', 'index', 'unknown'],
          ],
          'newlines-between': 'ignore',
        },
      ],
      'import-x/no-duplicates': 'error',
    },
  },
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser }, globals: { ...globals.browser } },
  },
  {
    // The renderer, and the UI benchmark's probes injected into its pages.
    files: ['src/renderer/**', 'test/bench/helpers/ui-probes.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The boundaries of DESIGN.md §1, by where the imported file lies.
    files: ['src/**'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src/core', from: './src', except: ['./core'], message: 'src/core is pure: it imports nothing outside itself.' },
            {
              target: './src/renderer',
              from: './src',
              except: ['./renderer', './shared'],
              message: 'the renderer talks only to the contract: it imports only src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Pure JavaScript algorithms only: no Node, Electron, SQLite or image decoding, so the core runs anywhere.
              regex: '^(?!\\.{1,2}/|umap-js$|csv-parse(/sync)?$)',
              message: 'src/core runs anywhere: it imports only itself and the pure packages listed in eslint.config.js.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: `${NODE}|${ELECTRON}`, message: 'the renderer has no Node and no Electron: it reaches them only through src/shared.' }] },
      ],
    },
  },
  {
    files: ['src/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: ELECTRON, message: 'the engine runs without Electron (the CLI and the server run it in plain Node).' }] },
      ],
    },
  },
  {
    // Ambient declarations are written as TypeScript's own lib files are: globals as var, opaque handles as empty interfaces.
    files: ['**/*.d.ts'],
    rules: { 'no-var': 'off', '@typescript-eslint/no-empty-object-type': 'off' },
  },
  {
    // Plain JavaScript outside every tsconfig: no type information to lint it with.
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
