// Export helpers that need the browser: the standalone SVG drawn onto a canvas for a PNG.

/** Chromium's canvas limits: stay well under them for very tall nets. */
const MAX_SIDE = 16000;
const MAX_AREA = 120_000_000;

export function pngScale(width: number, height: number): number {
  return Math.min(2, MAX_SIDE / width, MAX_SIDE / height, Math.sqrt(MAX_AREA / Math.max(1, width * height)));
}

/** Renders an SVG document (with its own width/height) to PNG, resolved as base64 without the data: prefix. */
export function svgToPngBase64(svg: string, width: number, height: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      const scale = pngScale(width, height);
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.floor(width * scale));
      canvas.height = Math.max(1, Math.floor(height * scale));
      const g = canvas.getContext('2d');
      if (!g) {
        reject(new Error('no 2D canvas'));
        return;
      }
      g.scale(scale, scale);
      g.drawImage(image, 0, 0, width, height);
      const url = canvas.toDataURL('image/png');
      resolve(url.slice(url.indexOf(',') + 1));
    };
    image.onerror = () => reject(new Error('the SVG could not be drawn as an image'));
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  });
}
