/**
 * File-name extension <-> media type for attachment and file downloads, from the maintained `mime-types`
 * database (the emulator is a dev dependency, so its size is no one's install cost).
 */
import { extension, lookup } from 'mime-types';

/** The media type of a file name, or undefined when its extension is unknown. */
export function typeForName(name: string): string | undefined {
  return lookup(name) || undefined;
}

/** The usual extension of a media type (parameters ignored), or undefined when unknown. */
export function extensionForType(contentType: string): string | undefined {
  return extension(contentType) || undefined;
}
