// tags/*: tags imported from folder names or a CSV, and their preview.
import { importTags, previewTags } from '../tag-import.ts';
import type { Handlers, HandlerHost, MethodsOf } from './host.ts';

export function tagHandlers(host: HandlerHost): Handlers<MethodsOf<'tags'>> {
  return {
    'tags/import': async (source) => {
      const { catalog, faces } = host.library();
      return importTags(catalog, faces.current(), source);
    },
    'tags/preview': async (source) => {
      const { catalog, faces } = host.library();
      return previewTags(catalog, faces.current(), source);
    },
  };
}
