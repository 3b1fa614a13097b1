import { integrationErrors } from './test-helpers';

// Tocsin's rule (stricter than upstream, whose url.Parse error quotes the URL): a secret URL never appears in
// an error, so a config reload that fails on one cannot log it.
describe('an invalid secret URL is not echoed in the error', () => {
  test.each([
    ['slack', 'api_url: "http://exa mple.com/services/T000/SECRETTOKEN"'],
    ['webhook', 'url: "http://exa mple.com/hook/SECRETTOKEN"'],
    ['discord', 'webhook_url: "https://exa mple.com/api/webhooks/SECRETTOKEN"'],
  ])('%s', (type, item) => {
    const errors = integrationErrors(type, item);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('invalid URL');
    expect(errors[0]).not.toContain('SECRETTOKEN');
  });
});
