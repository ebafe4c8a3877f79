/** The module a function's Handler names. */
export interface HandlerModule {
  /** The dotted name Lambda imports, e.g. `src.app`. */
  module: string;
  /** Its source file's path under the task root without `.py`, e.g. `src/app` (a package's is `src/app/__init__.py`). */
  path: string;
}

/**
 * The module a handler names, found as Lambda's Python runtime finds it (awslambdaric 4.2.2, bootstrap.py
 * `_get_handler`: `modname, fname = handler.rsplit(".", 1)`, then `importlib.import_module(modname.replace("/", "."))`).
 * Undefined when no module can be imported from it: an empty part (`../app.handler`, `.app.handler`, `a//b.handler`)
 * asks for a relative import or an empty name, which `import_module` refuses.
 */
export function handlerModule(handler: string): HandlerModule | undefined {
  const cut = handler.lastIndexOf('.');
  if (cut <= 0 || cut === handler.length - 1) return undefined;
  const parts = handler.slice(0, cut).replaceAll('/', '.').split('.');
  if (parts.some((part) => part === '')) return undefined;
  return { module: parts.join('.'), path: parts.join('/') };
}
