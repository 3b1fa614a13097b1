/** placeholder, replaced below */
export const DEFAULT_TEMPLATE_FILES: readonly { name: string; text: string }[] = [];
