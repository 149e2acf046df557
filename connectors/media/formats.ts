// Which uploaded files are media Baton transcribes: by extension, or by type when the name has none.

/** The extensions accepted (what a phone's camera or recorder writes). */
export const MEDIA_EXTENSIONS = ['mp4', 'mov', 'webm', 'm4a', 'mp3'] as const;

/** The types Drive gives those files (a name without an extension is judged by these). */
export const MEDIA_TYPES = [
  'video/mp4',
  'video/quicktime',
  'video/webm',
  'audio/mp4',
  'audio/x-m4a',
  'audio/m4a',
  'audio/mpeg',
  'audio/mp3',
  'audio/webm',
] as const;

/** True for an mp4, mov, webm, m4a or mp3 file (by its extension; by its type when it has none). */
export function isAcceptedMedia(file: { name: string; mimeType: string }): boolean {
  const extension = /\.([^./]+)$/.exec(file.name)?.[1]?.toLowerCase();
  if (extension !== undefined) return (MEDIA_EXTENSIONS as readonly string[]).includes(extension);
  return (MEDIA_TYPES as readonly string[]).includes(file.mimeType.toLowerCase());
}
