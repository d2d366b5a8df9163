// ESLint for the map's own scripts (static/aisnemap/*.js): plain browser scripts loaded
// by folium's page (no modules, no bundler), beside Leaflet and Leaflet.markercluster.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["static/aisnemap/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: {
        ...globals.browser,
        L: "readonly",
      },
    },
    rules: {
      "no-unused-vars": ["error", { args: "after-used", argsIgnorePattern: "^_" }],
      eqeqeq: ["error", "smart"],
      "no-var": "off",
      "prefer-const": "off",
      "no-implicit-globals": "error",
    },
  },
];
