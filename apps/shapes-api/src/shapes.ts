/** The shapes of the public Shapes API. */
export const SHAPES = ["Circle", "Rectangle", "Square", "Triangle"] as const;

export type Shape = (typeof SHAPES)[number];

/** Picks a shape with `random` (a Math.random-like source in [0, 1)); tests pin it. */
export function pickShape(random: () => number): Shape {
  const index = Math.min(SHAPES.length - 1, Math.max(0, Math.floor(random() * SHAPES.length)));
  return SHAPES[index] ?? SHAPES[0];
}
