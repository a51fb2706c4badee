import { PayloadTooLargeError, UnsupportedMediaTypeError } from '@app/common';
import * as FileType from 'file-type';

export const ALLOWED_MEDIA_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'video/mp4',
  'video/webm',
  'audio/mpeg',
];

/**
 * The file's type is read from its bytes, never from its name or declared Content-Type, so a
 * script renamed to photo.png is refused.
 */
export async function detectMediaType(data: Buffer, maxBytes: number): Promise<string> {
  if (data.length > maxBytes)
    throw new PayloadTooLargeError(`media is ${data.length} bytes; the limit is ${maxBytes}`);
  const detected = await FileType.fromBuffer(data);
  if (!detected || !ALLOWED_MEDIA_TYPES.includes(detected.mime)) {
    throw new UnsupportedMediaTypeError(
      `media content is ${detected ? detected.mime : 'not a recognised binary format'}; allowed: ${ALLOWED_MEDIA_TYPES.join(', ')}`,
    );
  }
  return detected.mime;
}
