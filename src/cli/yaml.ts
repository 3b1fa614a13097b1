/**
 * YAML for tocsinctl's own files (config file flag defaults, --http.config.file). The `yaml` package is loaded
 * on first use: most runs read no YAML file, and loading it costs about 20 ms of tocsinctl's startup.
 */
export function parseYaml(text: string): unknown {
  return (require('yaml') as typeof import('yaml')).parse(text);
}
