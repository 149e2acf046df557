// Drive's files in memory: folders, binary files and Docs, with owners, sharing and trash.
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.ts';

export const FOLDER_MIME = 'application/vnd.google-apps.folder';

export interface DriveFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  createdTime: number;
  modifiedTime: number;
  trashed: boolean;
  /** Content of a binary file; undefined for folders and Google Docs types. */
  bytes: Buffer | undefined;
  owner: string;
  /** Emails that may see the file (and, for a folder, what is in it); undefined: anyone with a token. */
  sharedWith: Set<string> | undefined;
  appProperties: Record<string, string>;
  description: string | undefined;
  /**
   * Made through the API (files.create, files.copy) rather than by a person in Drive: the only files a
   * token with just the drive.file scope can see ("files created or opened by the app").
   */
  byApp: boolean;
  /** Creation order, to break ties between equal timestamps. */
  seq: number;
}

export const newFileId = (): string => `1${randomBytes(24).toString('base64url').slice(0, 32)}`;

export const isBinary = (file: DriveFile): boolean =>
  !file.mimeType.startsWith('application/vnd.google-apps.');

export const md5 = (bytes: Buffer): string => createHash('md5').update(bytes).digest('hex');

export class DriveStore {
  readonly files = new Map<string, DriveFile>();
  readonly #roots = new Map<string, string>();
  #seq = 0;

  constructor(private readonly clock: Clock) {}

  /** The id of `email`'s My Drive folder (made on first use). */
  rootOf(email: string): string {
    let id = this.#roots.get(email);
    if (!id) {
      id = this.add({
        name: 'My Drive',
        mimeType: FOLDER_MIME,
        parents: [],
        owner: email,
        sharedWith: new Set(),
      }).id;
      this.#roots.set(email, id);
    }
    return id;
  }

  isRoot(id: string): boolean {
    return [...this.#roots.values()].includes(id);
  }

  add(input: {
    name: string;
    mimeType: string;
    parents: string[];
    owner: string;
    bytes?: Buffer;
    /** Who may see it besides the owner: listed emails, or 'anyone' with a token (default: nobody else). */
    sharedWith?: Set<string> | 'anyone';
    appProperties?: Record<string, string>;
    description?: string;
    createdTime?: number;
    modifiedTime?: number;
    byApp?: boolean;
  }): DriveFile {
    const now = this.clock.now();
    const file: DriveFile = {
      id: newFileId(),
      name: input.name,
      mimeType: input.mimeType,
      parents: input.parents,
      createdTime: input.createdTime ?? now,
      modifiedTime: input.modifiedTime ?? input.createdTime ?? now,
      trashed: false,
      bytes: input.mimeType === FOLDER_MIME ? undefined : (input.bytes ?? Buffer.alloc(0)),
      owner: input.owner,
      // Without its own sharing a file is private to its owner and visible through its folders.
      sharedWith: input.sharedWith === 'anyone' ? undefined : (input.sharedWith ?? new Set()),
      appProperties: input.appProperties ?? {},
      description: input.description,
      byApp: input.byApp ?? false,
      seq: this.#seq++,
    };
    this.files.set(file.id, file);
    return file;
  }

  /** Whether `email` may see the file: they own it, it is shared with them, or a folder above it is. */
  canSee(file: DriveFile, email: string, depth = 0): boolean {
    if (file.owner === email || file.sharedWith === undefined || file.sharedWith.has(email)) return true;
    if (depth > 50) return false;
    return file.parents.some((p) => {
      const parent = this.files.get(p);
      return parent !== undefined && this.canSee(parent, email, depth + 1);
    });
  }
}
