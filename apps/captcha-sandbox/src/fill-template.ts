/**
 * A browser file names a placeholder its values lack: a sandbox bug, thrown when the files
 * are loaded at start so it never reaches a browser.
 */
export class TemplateError extends Error {
  override name = "TemplateError";
  readonly code = "unknown-placeholder";
  constructor(readonly placeholder: string) {
    super(`no value for placeholder {{${placeholder}}}`);
  }
}

type Values = Readonly<Record<string, unknown>>;

function lookup(values: Values, name: string): unknown {
  if (!Object.hasOwn(values, name)) throw new TemplateError(name);
  return values[name];
}

/**
 * Fills each `{{name}}` of an HTML file. The values are the sandbox's own constants, not
 * input; they are escaped anyway so a later value cannot break the markup.
 */
export function fillHtml(template: string, values: Values): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) =>
    String(lookup(values, name)).replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`),
  );
}

/**
 * Fills each `"{{name}}"` string of a script with its value as JSON, so the file parses as
 * it is and a value may be any JSON (a string, an object).
 */
export function fillScript(template: string, values: Values): string {
  return template.replace(/"\{\{(\w+)\}\}"/g, (_, name: string) =>
    JSON.stringify(lookup(values, name)),
  );
}
