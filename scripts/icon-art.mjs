// The artwork shared by the icon generators: the logo's claw (src/public/logo.svg: a pincer on a
// rounded square), flattened to polygons, and an anti-aliased rasterizer (4×4 samples per pixel).
// No image library: shapes are point-in-polygon tests.

/** The logo's viewBox is 32×32; every shape below is in those units. */
export const VIEWBOX = 32;
export const CORNER = 8;
export const GRADIENT = { from: [0xf2, 0x6a, 0x4f], to: [0xd4, 0x40, 0x2d] }; // top-left → bottom-right
const CLAW_PATHS = [
  'M8.2 22.4C7 14.6 13.2 7.2 24.6 6.6c-4.2 2.6-7.6 6.2-8.7 10.6-2.6.4-5.4 2.3-7.7 5.2z',
  'M9.6 24.2c5.6 1.6 12.4-.6 15.8-8.2-3 2.4-6.4 3.2-8.8 2.6-2.2 1.2-4.6 3.2-7 5.6z',
];
const JOINT = { cx: 8.6, cy: 23.6, r: 2.6 };
/** The claw's bounding box in viewBox units (for fitting it alone into a tray icon). */
export const CLAW_BOUNDS = { x0: 6, y0: 6.6, x1: 25.4, y1: 26.2 };
const SAMPLES = 4;
const BEZIER_STEPS = 24;

/** Flattens an SVG path using only M, C/c (with repeats) and z into a polygon. */
function flattenPath(d) {
  const tokens = d.match(/[MCcz]|-?(?:\d+\.?\d*|\.\d+)/g);
  const points = [];
  let command = '';
  let current = [0, 0];
  for (let i = 0; i < tokens.length;) {
    if (/[MCcz]/.test(tokens[i])) command = tokens[i++];
    if (command === 'z') break;
    const numbers = (count) => tokens.slice(i, (i += count)).map(Number);
    if (command === 'M') {
      current = numbers(2);
      points.push(current);
      continue;
    }
    const [x1, y1, x2, y2, x, y] = numbers(6);
    const [ox, oy] = command === 'c' ? current : [0, 0];
    const c1 = [x1 + ox, y1 + oy];
    const c2 = [x2 + ox, y2 + oy];
    const end = [x + ox, y + oy];
    for (let s = 1; s <= BEZIER_STEPS; s++) {
      const t = s / BEZIER_STEPS;
      const u = 1 - t;
      const at = (k) => u * u * u * current[k] + 3 * u * u * t * c1[k] + 3 * u * t * t * c2[k] + t * t * t * end[k];
      points.push([at(0), at(1)]);
    }
    current = end;
  }
  return points;
}

function circlePolygon({ cx, cy, r }, steps = 96) {
  return Array.from({ length: steps }, (_, i) => [cx + r * Math.cos((2 * Math.PI * i) / steps), cy + r * Math.sin((2 * Math.PI * i) / steps)]);
}

const CLAW_SHAPES = [...CLAW_PATHS.map(flattenPath), circlePolygon(JOINT)];

/** x positions where the polygon's edges cross the horizontal line y, with winding direction. */
function crossings(polygon, y) {
  const result = [];
  for (let i = 0; i < polygon.length; i++) {
    const [ax, ay] = polygon[i];
    const [bx, by] = polygon[(i + 1) % polygon.length];
    if ((ay <= y && by > y) || (by <= y && ay > y)) result.push({ x: ax + ((y - ay) / (by - ay)) * (bx - ax), dir: by > ay ? 1 : -1 });
  }
  return result.sort((a, b) => a.x - b.x);
}

/** Non-zero winding for one shape's crossings of a row. */
function insideRow(row, x) {
  let winding = 0;
  for (const crossing of row) {
    if (crossing.x > x) break;
    winding += crossing.dir;
  }
  return winding !== 0;
}

/** A point-in-claw test (viewBox units); the shapes are unioned. Rows are cached by y. */
export function clawTester() {
  const rows = new Map();
  return (x, y) => {
    let row = rows.get(y);
    if (!row) {
      row = CLAW_SHAPES.map((shape) => crossings(shape, y));
      rows.set(y, row);
    }
    return row.some((shapeRow) => insideRow(shapeRow, x));
  };
}

export function insideRoundedSquare(x, y) {
  if (x < 0 || y < 0 || x > VIEWBOX || y > VIEWBOX) return false;
  const dx = Math.max(CORNER - x, x - (VIEWBOX - CORNER), 0);
  const dy = Math.max(CORNER - y, y - (VIEWBOX - CORNER), 0);
  return dx * dx + dy * dy <= CORNER * CORNER;
}

/**
 * RGBA pixels of a size×size image: `paint(x, y)` gets sample points in pixel units and returns an
 * [r, g, b] colour or undefined (transparent); each pixel averages 4×4 samples.
 */
export function rasterize(size, paint) {
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0];
      let covered = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const color = paint(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
          if (!color) continue;
          covered++;
          for (let i = 0; i < 3; i++) sum[i] += color[i];
        }
      }
      if (covered === 0) continue;
      const o = (py * size + px) * 4;
      for (let i = 0; i < 3; i++) pixels[o + i] = Math.round(sum[i] / covered);
      pixels[o + 3] = Math.round((255 * covered) / (SAMPLES * SAMPLES));
    }
  }
  return pixels;
}
