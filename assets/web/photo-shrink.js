// Photos taken on a phone, made ready to wait in a page's queue (localStorage) and to be sent:
// shrunk to at most a given size, and re-encoded through a canvas, which drops the EXIF block so
// the GPS position never leaves the phone. Shared by the logging page and the complaint intake.

/** The picture as a JPEG data URL of at most `maxBytes` bytes; `null` when it cannot be made that small. */
export async function shrink(file, maxBytes) {
  const bmp = await createImageBitmap(file);
  for (const side of [1600, 1280, 1024, 800, 640]) {
    const scale = Math.min(1, side / Math.max(bmp.width, bmp.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bmp.width * scale);
    canvas.height = Math.round(bmp.height * scale);
    canvas.getContext('2d').drawImage(bmp, 0, 0, canvas.width, canvas.height);
    for (const quality of [0.82, 0.7, 0.55]) {
      const url = canvas.toDataURL('image/jpeg', quality);
      if (Math.floor((url.length - url.indexOf(',') - 1) * 3 / 4) <= maxBytes) return url;
    }
  }
  return null;
}

/** The bytes of a data URL, as a Blob of its type. */
export function dataUrlToBlob(url) {
  const [head, b64] = url.split(',');
  const type = head.slice(5).split(';')[0] || 'application/octet-stream';
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type });
}
