import { handlerModule } from '../../src/lambda/handler.js';

// Lambda's Python runtime (awslambdaric bootstrap.py `_get_handler`) splits the handler at its last dot and
// imports `modname.replace("/", ".")`: so `src/app.handler` and `src.app.handler` name the same module.
describe('handlerModule', () => {
  test.each([
    ['app.handler', 'app', 'app'],
    ['src/app.handler', 'src.app', 'src/app'],
    ['src.app.handler', 'src.app', 'src/app'],
    ['my-module.main', 'my-module', 'my-module']
  ])('%s imports %s from %s.py', (handler, module, file) => {
    expect(handlerModule(handler)).toEqual({ module, path: file });
  });

  test.each([['app'], ['app.'], ['.handler'], ['../app.handler'], ['./app.handler'], ['a//b.handler']])(
    '%s names no importable module',
    (handler) => {
      expect(handlerModule(handler)).toBeUndefined();
    }
  );
});
