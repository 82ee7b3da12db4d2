/**
 * The fonts every figure is drawn with: DejaVu (Debian package `fonts-dejavu-core`), loaded from explicit
 * files so that rendering never depends on what the system font lookup happens to find.
 *
 * @example
 * ```ts
 * const files = fontFiles(); // ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", …]
 * ```
 * @module
 */

/** Folder holding the DejaVu TrueType files (env `FER_FONT_DIR` overrides). */
export const FONT_DIR: string = Deno.env.get("FER_FONT_DIR") ?? "/usr/share/fonts/truetype/dejavu";

/** Family name used in every SVG and canvas drawn by lib/viz. */
export const FONT_FAMILY = "DejaVu Sans";

const FILES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf"];

/**
 * Absolute paths of the DejaVu files used for rendering; throws naming the folder and the Debian package
 * when they are missing.
 *
 * @example
 * ```ts
 * new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: fontFiles() } });
 * ```
 */
export function fontFiles(): string[] {
  const paths = FILES.map((f) => `${FONT_DIR}/${f}`);
  const missing = paths.filter((p) => {
    try {
      return !Deno.statSync(p).isFile;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    throw new Error(
      `font files missing: ${missing.join(", ")}; install the Debian package fonts-dejavu-core ` +
        `(or point FER_FONT_DIR at a folder holding ${FILES.join(", ")})`,
    );
  }
  return paths;
}
