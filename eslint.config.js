// ESLint flat config: typescript-eslint's type-aware rules over src, test and bench;
// formatting is Prettier's job, so its conflicting rules are switched off.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    // src/kernels/cpu/wasm/assembly is AssemblyScript (its own types, compiled by asc)
    ignores: ['dist/**', 'node_modules/**', 'runs/**', 'coverage/**', 'src/kernels/cpu/wasm/assembly/**'],
  },
  // the GPU session kit's staging (scripts/device/pack.sh): copies of dist/ and node_modules
  { ignores: ['.device/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  prettier,
);
