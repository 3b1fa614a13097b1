/**
 * @module notifiers/wechat/payload
 * WeChat Work's message/send body (upstream notify/wechat/wechat.go). Go's omitempty never omits a struct, so
 * both `text` and `markdown` objects are always sent (the unused one with empty content); `safe` is "0".
 * Field order follows the Go struct: text, touser, toparty, totag, agentid, safe, msgtype, markdown.
 */
import { goEncode } from '../../go/json';
import type { Renderer } from '../shared/render';
import { omitEmpty } from '../shared/omit-empty';

/** wechat's payload omits only empty strings */
const isEmptyString = (v: unknown): boolean => v === '';

export interface WechatPayloadSettings {
  message?: string;
  to_user?: string;
  to_party?: string;
  to_tag?: string;
  agent_id?: string;
  message_type?: string;
}

export function buildWechatMessage(s: WechatPayloadSettings, r: Pick<Renderer, 'text'>): string {
  const t = (x: string | undefined) => (x ? r.text(x) : '');
  const type = s.message_type ?? 'text';
  const toUser = t(s.to_user);
  const toParty = t(s.to_party);
  const toTag = t(s.to_tag);
  const agentId = t(s.agent_id);
  const content = t(s.message);
  return goEncode({
    text: { content: type === 'markdown' ? '' : content },
    ...omitEmpty({ touser: toUser, toparty: toParty, totag: toTag, agentid: agentId, safe: '0', msgtype: type }, isEmptyString),
    markdown: { content: type === 'markdown' ? content : '' },
  });
}
