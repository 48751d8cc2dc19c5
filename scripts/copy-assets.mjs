// Copies the front-end files the portal serves from node_modules into static/vendor (not committed).
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const files = {
  "node_modules/@utrecht/design-tokens/dist/index.css": "static/vendor/utrecht/design-tokens.css",
  "node_modules/@utrecht/component-library-css/dist/index.css": "static/vendor/utrecht/components.css",
  "node_modules/@utrecht/component-library-css/dist/html.css": "static/vendor/utrecht/html.css",
  "node_modules/htmx.org/dist/htmx.min.js": "static/vendor/htmx/htmx.min.js",
  "node_modules/axe-core/axe.min.js": "static/vendor/axe-core/axe.min.js",
};
for (const [source, target] of Object.entries(files)) {
  mkdirSync(dirname(join(root, target)), { recursive: true });
  copyFileSync(join(root, source), join(root, target));
}
console.log(`copied ${Object.keys(files).length} front-end assets to static/vendor`);
