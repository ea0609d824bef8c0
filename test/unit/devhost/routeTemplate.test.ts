import { compileRoute } from '../../../devhost/host/routeTemplate';

describe('route templates', () => {
  it('matches literals case-insensitively and captures parameters', () => {
    const route = compileRoute('api/orders/{id}/lines/{line}');
    expect(route.match('/API/Orders/42/lines/7')).toEqual({ id: '42', line: '7' });
    expect(route.match('/api/orders/42/lines')).toBeUndefined();
    expect(route.match('/api/orders/42/lines/7/extra')).toBeUndefined();
  });

  it('decodes percent-encoded values and rejects broken encoding', () => {
    const route = compileRoute('api/credentials/{name}');
    expect(route.match('/api/credentials/my%20secret')).toEqual({ name: 'my secret' });
    expect(route.match('/api/credentials/%E0%A4%A')).toBeUndefined();
  });

  it('treats {x?} as optional and applies {x=default}', () => {
    const optional = compileRoute('api/orchestrators/{name}/{instanceId?}');
    expect(optional.match('/api/orchestrators/flow')).toEqual({ name: 'flow' });
    expect(optional.match('/api/orchestrators/flow/abc')).toEqual({ name: 'flow', instanceId: 'abc' });
    expect(compileRoute('api/list/{page=1}').match('/api/list')).toEqual({ page: '1' });
  });

  it('enforces int, alpha, guid, min and regex constraints', () => {
    expect(compileRoute('api/orders/{id:int}').match('/api/orders/12')).toEqual({ id: '12' });
    expect(compileRoute('api/orders/{id:int}').match('/api/orders/abc')).toBeUndefined();
    expect(compileRoute('api/x/{n:alpha}').match('/api/x/abc1')).toBeUndefined();
    expect(compileRoute('api/x/{g:guid}').match('/api/x/0f8fad5b-d9cb-469f-a165-70867728950e')).toBeDefined();
    expect(compileRoute('api/x/{n:int:min(5)}').match('/api/x/4')).toBeUndefined();
    expect(compileRoute('api/x/{n:int:min(5)}').match('/api/x/5')).toEqual({ n: '5' });
    expect(compileRoute('api/x/{code:regex(^[a-z]{{2}}$)}').match('/api/x/ab')).toBeDefined();
  });

  it('tolerates constraints it does not know', () => {
    expect(compileRoute('api/x/{n:somethingnew(3)}').match('/api/x/anything')).toEqual({ n: 'anything' });
  });

  it('captures the rest of the path with a catch-all parameter', () => {
    const route = compileRoute('api/files/{*path}');
    expect(route.match('/api/files/a/b/c.txt')).toEqual({ path: 'a/b/c.txt' });
    expect(route.match('/api/files')).toEqual({});
    expect(() => compileRoute('api/{*path}/more')).toThrow(/catch-all/);
  });

  it('supports several parameters inside one segment', () => {
    expect(compileRoute('api/{name}.{ext}').match('/api/report.pdf')).toEqual({ name: 'report', ext: 'pdf' });
  });

  it('ranks literal segments above parameters and parameters above catch-alls', () => {
    const literal = compileRoute('api/orders/latest');
    const constrained = compileRoute('api/orders/{id:int}');
    const parameter = compileRoute('api/orders/{id}');
    const catchAll = compileRoute('api/{*rest}');
    expect(literal.precedence).toBeGreaterThan(constrained.precedence);
    expect(constrained.precedence).toBeGreaterThan(parameter.precedence);
    expect(parameter.precedence).toBeGreaterThan(catchAll.precedence);
  });

  it('names an invalid parameter', () => {
    expect(() => compileRoute('api/{bad name}')).toThrow(/invalid parameter "\{bad name\}"/);
    expect(() => compileRoute('api/{open')).toThrow(/unclosed/);
  });
});
