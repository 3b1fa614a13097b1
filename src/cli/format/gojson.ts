import { goMarshal } from '../../types/go-json';

/**
 * JSON as Go's encoding/json Encoder writes it (amtool's -o json, upstream cli/format/format_json.go):
 * one line plus a newline, with <, >, & and U+2028/U+2029 escaped (SetEscapeHTML defaults to true).
 * Key order is the order of the object's own keys; see models.ts for the Go struct order.
 */
export function goJson(value: unknown): string {
  return `${goMarshal(value)}\n`;
}
