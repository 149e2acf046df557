// The File resource as Drive v3 renders it, and the fields a request may select.
import { type DriveFile, FOLDER_MIME, isBinary, md5 } from './store.ts';

/** Every field the emulator can render for a file (fields outside this list are a 400). */
export const FILE_FIELDS = [
  'kind',
  'id',
  'name',
  'mimeType',
  'description',
  'starred',
  'trashed',
  'explicitlyTrashed',
  'parents',
  'appProperties',
  'createdTime',
  'modifiedTime',
  'owners',
  'webViewLink',
  'webContentLink',
  'iconLink',
  'size',
  'md5Checksum',
  'originalFilename',
  'fullFileExtension',
  'fileExtension',
  'quotaBytesUsed',
] as const;

export const LIST_FIELDS = ['kind', 'nextPageToken', 'incompleteSearch', 'files'] as const;

/** What `fields` may name in files.get/create (top level) and files.list (top level and `files`). */
export const KNOWN_FOR_FILE = { '': FILE_FIELDS };
export const KNOWN_FOR_LIST = { '': LIST_FIELDS, files: FILE_FIELDS };

/** Drive's default selections when a request sends no `fields`. */
export const DEFAULT_FILE_FIELDS = 'kind,id,name,mimeType';
export const DEFAULT_LIST_FIELDS = 'kind,nextPageToken,incompleteSearch,files(kind,id,name,mimeType)';

export function renderFile(file: DriveFile): Record<string, unknown> {
  const extension = /\.([^.]+)$/.exec(file.name)?.[1];
  const binary = isBinary(file) && file.bytes !== undefined;
  const kind = file.mimeType === FOLDER_MIME ? 'folders' : 'file';
  return {
    kind: 'drive#file',
    id: file.id,
    name: file.name,
    mimeType: file.mimeType,
    ...(file.description !== undefined ? { description: file.description } : {}),
    starred: false,
    trashed: file.trashed,
    explicitlyTrashed: file.trashed,
    parents: file.parents,
    ...(Object.keys(file.appProperties).length > 0 ? { appProperties: file.appProperties } : {}),
    createdTime: new Date(file.createdTime).toISOString(),
    modifiedTime: new Date(file.modifiedTime).toISOString(),
    owners: [
      { kind: 'drive#user', displayName: file.owner.split('@')[0], emailAddress: file.owner, me: false },
    ],
    webViewLink: `https://drive.google.com/${kind === 'folders' ? 'drive/folders' : 'file/d'}/${file.id}${kind === 'file' ? '/view' : ''}`,
    iconLink: `https://drive-thirdparty.googleusercontent.com/16/type/${file.mimeType}`,
    ...(binary
      ? {
          webContentLink: `https://drive.google.com/uc?id=${file.id}&export=download`,
          size: String(file.bytes!.length),
          md5Checksum: md5(file.bytes!),
          originalFilename: file.name,
          ...(extension ? { fullFileExtension: extension, fileExtension: extension } : {}),
          quotaBytesUsed: String(file.bytes!.length),
        }
      : { quotaBytesUsed: '0' }),
  };
}

/**
 * Sorts by an `orderBy` value (`createdTime`, `modifiedTime`, `name`, `name_natural`, `folder`, each
 * optionally ` desc`); without one, most recently modified first. Returns undefined for an
 * unsupported key.
 */
export function sortFiles(files: DriveFile[], orderBy: string | null): DriveFile[] | undefined {
  const keys = (orderBy ?? 'modifiedTime desc')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  const comparators: ((a: DriveFile, b: DriveFile) => number)[] = [];
  for (const key of keys) {
    const [field, direction, extra] = key.split(/\s+/);
    if (extra !== undefined || (direction !== undefined && direction !== 'desc' && direction !== 'asc'))
      return undefined;
    const sign = direction === 'desc' ? -1 : 1;
    const read: Record<string, (f: DriveFile) => number | string> = {
      createdTime: (f) => f.createdTime,
      modifiedTime: (f) => f.modifiedTime,
      name: (f) => f.name,
      name_natural: (f) => f.name,
      folder: (f) => (f.mimeType === FOLDER_MIME ? 0 : 1),
    };
    const get = field ? read[field] : undefined;
    if (!get) return undefined;
    comparators.push((a, b) => {
      const x = get(a);
      const y = get(b);
      if (x === y) return 0;
      const order =
        typeof x === 'number' && typeof y === 'number'
          ? x - y
          : String(x).localeCompare(String(y), undefined, { numeric: field === 'name_natural' });
      return order * sign;
    });
  }
  return [...files].sort((a, b) => {
    for (const compare of comparators) {
      const order = compare(a, b);
      if (order !== 0) return order;
    }
    return a.seq - b.seq;
  });
}
