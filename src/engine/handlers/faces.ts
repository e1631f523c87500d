// faces/* and photos/get: browsing the faces and a photo's, and what the user says about them.
import { faceFolders, faceIds, listFaces, photoDetails } from '../face-queries.ts';
import type { Handlers, HandlerHost, MethodsOf } from './host.ts';

export function faceHandlers(host: HandlerHost): Handlers<MethodsOf<'faces'> | MethodsOf<'photos'>> {
  const edits = () => host.library().catalog.edits;
  return {
    'faces/list': async (params) => {
      const { catalog, faces } = host.library();
      return listFaces(catalog, faces.current(), params);
    },
    'faces/ids': async (filter) => {
      const { catalog, faces } = host.library();
      return faceIds(catalog, faces.current(), filter);
    },
    'faces/folders': async () => faceFolders(host.library().faces.current()),
    'faces/tag': async ({ faceIds, identityId }) => edits().tag(faceIds, identityId),
    'faces/untag': async ({ faceIds }) => edits().untag(faceIds),
    'faces/mark': async ({ faceIds, mark }) => edits().mark(faceIds, mark),
    'faces/unmark': async ({ faceIds }) => edits().unmark(faceIds),
    'faces/add': async ({ photoId, box }) => host.addUserFace(photoId, box),
    'photos/get': async ({ id }) => {
      const { catalog, faces } = host.library();
      return photoDetails(catalog, faces.current(), id);
    },
  };
}
