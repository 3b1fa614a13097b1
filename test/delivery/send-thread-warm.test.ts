import { sendThread } from '../../src/notifiers/shared/send-thread';
import { postAlerts, startApp } from '../helpers/app-harness';

// a webhook receiver whose group waits an hour: nothing is sent during the test
const CONFIG = `
route: {receiver: hook, group_by: [alertname], group_wait: 1h}
receivers: [{name: hook, webhook_configs: [{url: 'http://127.0.0.1:1/hook'}]}]
`;

test('an idle server has no send thread; its first alert starts it, warmed up, while the group waits out group_wait', async () => {
  const h = await startApp({ config: CONFIG });
  try {
    expect(sendThread().running).toBe(false);
    const warmed = sendThread().warmedUp();
    expect((await postAlerts(h.url, [{ labels: { alertname: 'A' } }])).status).toBe(200);
    expect(await warmed).toBe(200);
    expect(sendThread().running).toBe(true);
  } finally {
    await h.close();
  }
});
