// A real, small PNG of any size, its colour derived from a seed: what the image emulator returns.
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

/**
 * A `width`×`height` RGB PNG: two horizontal bands in colours derived from `seed` (so a picture
 * differs by prompt and is the same for the same prompt). Solid rows compress to a few kB.
 */
export function samplePng(width: number, height: number, seed: string): Buffer {
  const hash = createHash('sha256').update(seed).digest();
  const row = (r: number, g: number, b: number) => {
    const line = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) line.set([r, g, b], 1 + x * 3);
    return line;
  };
  const top = row(hash[0]!, hash[1]!, hash[2]!);
  const bottom = row(hash[3]!, hash[4]!, hash[5]!);
  const raw = Buffer.concat(Array.from({ length: height }, (_, y) => (y < height * 0.62 ? top : bottom)));
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
