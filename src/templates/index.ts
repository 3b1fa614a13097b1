export { buildTemplateData, KV, type TemplateDataInput, TemplateData, templateDataFromJson } from './data';
export { DEFAULT_TEMPLATE_FILES } from './default-templates';
export { templateFunctionNames } from './functions';
export { deepCopyWithTemplate } from './structured';
export { amtoolDefaultData, type RenderTemplateCommandOptions, renderTemplateCommand } from './render-command';
export { TemplateSet, type TemplateSetOptions } from './template-set';
