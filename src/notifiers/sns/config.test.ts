import { integrationErrors, loadIntegration } from '../../config/test-helpers';

describe('sns_configs', () => {
  test('defaults', () => {
    const { settings } = loadIntegration('sns', 'topic_arn: arn:aws:sns:us-east-1:1:t\nsigv4: {region: us-east-1}');
    expect(settings).toMatchObject({
      send_resolved: true,
      subject: '{{ template "sns.default.subject" . }}',
      message: '{{ template "sns.default.message" . }}',
      sigv4: { region: 'us-east-1' },
      use_aws_http_client: false,
    });
  });
  test('errors: exactly one target', () => {
    const msg = 'must provide either a Target ARN, Topic ARN, or Phone Number for SNS config';
    expect(integrationErrors('sns', 'subject: x')).toEqual([msg]);
    expect(integrationErrors('sns', 'topic_arn: a\nphone_number: "+1"')).toEqual([msg]);
    expect(integrationErrors('sns', 'phone_number: "+1"\nsigv4: {access_key: a}')).toEqual([
      'must provide a AWS SigV4 Access key and Secret Key if credentials are specified in the SigV4 config',
    ]);
    expect(integrationErrors('sns', '')).toEqual(['missing sns config']);
  });
});
